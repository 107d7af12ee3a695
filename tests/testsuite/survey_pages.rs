//! Survey pages generated from the spec: norm (section) pages, parts, the whole survey,
//! form controls, branching text, the JSON Schema and the browser's model.

use crate::common::*;

fn built() -> tempfile::TempDir {
    let site = fixture("mini");
    let out = normbook(site.path(), &["build", "-q"]);
    assert!(out.status.success(), "{}", stderr(&out));
    site
}

#[test]
fn a_section_page_shows_the_text_guidance_and_form() {
    let site = built();
    let page = read(site.path().join("public/survey/rule-a.html"));
    // The statement and the guidance are the report's paragraphs, linking to the full text.
    assert!(page.contains(r#"<blockquote class="quoted">"#));
    assert!(page.contains(r#"data-para="alpha:3-a""#));
    assert!(page.contains(r#"<ol class="notes">"#));
    assert!(page.contains(r#"href="../reports/alpha.html#alpha-1" title="alpha:1 in the full report""#), "{page}");
    // Embedded copies get their own anchors, so a page can hold a paragraph twice.
    assert!(page.contains(r#"id="rule-a-g-alpha-1""#));
    // Every control has a label; branching is written out.
    assert!(page.contains(r#"<input type="radio" id="q-1-1-yes" name="q-1-1" value="yes" data-option>"#));
    assert!(page.contains(r#"<label for="q-1-1-yes">Yes</label>"#));
    assert!(page.contains("If Yes, go to 1.2; if No, go to 1.3."));
    assert!(page.contains("Answer if 1.1 is No."));
    assert!(
        page.contains(r#"<textarea id="q-1-3-answer" rows="8" data-value data-word-limit="200" aria-describedby="q-1-3-answer-count">"#)
    );
    assert!(page.contains(r#"<template data-item-template data-pagefind-ignore="all">"#));
    assert!(page.contains(r#"<script src="../form.js?v="#), "{page}");
    assert!(!page.contains("<script>"), "no inline script");
    assert!(!page.contains("style="), "no inline style");
}

#[test]
fn the_part_and_whole_survey_pages_link_everything() {
    let site = built();
    let part = read(site.path().join("public/survey/part-one.html"));
    assert!(part.contains(r#"<a href="../survey/rule-a.html">Rule A</a>"#), "{part}");
    assert!(part.contains("Extract from the alpha report"));
    let whole = read(site.path().join("public/survey/index.html"));
    for id in ["1.1", "1.2", "1.3"] {
        assert!(whole.contains(&format!(r#"data-q="{id}""#)), "{id}");
    }
    assert!(whole.contains("Answer what you can; no question is mandatory."));
    let home = read(site.path().join("public/index.html"));
    assert!(home.contains(r#"data-progress-part="part-one""#));
}

#[test]
fn the_answers_format_is_generated_from_the_spec() {
    let site = built();
    let schema: serde_json::Value = serde_json::from_str(&read(site.path().join("public/survey/answers.schema.json"))).unwrap();
    let answers = &schema["properties"]["answers"]["properties"];
    assert_eq!(answers["1.1"]["enum"], serde_json::json!(["yes", "no"]));
    assert_eq!(answers["1.2"]["type"], "array");
    assert_eq!(answers["1.2"]["items"]["properties"]["description"]["description"], "At most 200 words.");
    assert_eq!(answers["1.3"]["type"], "string");
    assert_eq!(schema["properties"]["survey"]["const"], "mini");
    let model = read(site.path().join("public/survey-model.js"));
    let json: serde_json::Value =
        serde_json::from_str(model.trim().strip_prefix("window.normbookSurvey = ").unwrap().trim_end_matches(';')).unwrap();
    assert_eq!(json["gates"]["1.2"], serde_json::json!([{ "from": "1.1", "values": ["yes"] }]));
    assert_eq!(json["order"], serde_json::json!(["1.1", "1.2", "1.3"]));
    // Answers to questions no longer asked have a place of their own.
    assert_eq!(schema["properties"]["retired"]["properties"]["details"]["additionalProperties"]["type"], "string");
    // So have answers kept for questions the branching skips, of the same shape as the answers.
    assert_eq!(schema["properties"]["hidden"]["properties"]["answers"]["$ref"], "#/properties/answers");
    assert_eq!(schema["properties"]["hidden"]["properties"]["details"]["$ref"], "#/properties/details");
    assert!(schema["properties"]["hidden"]["description"].as_str().unwrap().contains("Not part of the response"));
    assert!(!schema["required"].as_array().unwrap().iter().any(|r| r == "hidden"), "files of the old shape stay valid");
    // The browser shows answers in reading form and word limits with the spec's words.
    assert_eq!(json["questions"]["1.1"]["labels"], serde_json::json!({ "yes": "Yes", "no": "No" }));
    assert_eq!(json["questions"]["1.3"]["limit"], 200);
    assert_eq!(json["questions"]["1.3"]["href"], "survey/rule-a.html#q-1-3");
    assert_eq!(json["questions"]["1.2"]["fields"][1]["label"], "Description");
    assert_eq!(json["questions"]["1.2"]["fields"][1]["limit"], 200);
}

#[test]
fn the_review_page_lists_every_question_with_a_link_to_its_place_in_the_form() {
    let site = built();
    let page = read(site.path().join("public/survey/review.html"));
    for id in ["1.1", "1.2", "1.3"] {
        let dom = format!("q-{}", id.replace('.', "-"));
        assert!(page.contains(&format!(r#"id="review-{dom}" data-review-q="{id}""#)), "{id}: {page}");
        assert!(page.contains(&format!(r#"<a href="../survey/rule-a.html#{dom}" data-review-link>"#)), "{id}");
    }
    assert!(page.contains(r#"data-review-q="1.3" data-condition="Answer if 1.1 is No.""#));
    assert!(page.contains(r#"<section class="review-part" id="review-part-one""#));
    assert!(page.contains("needs JavaScript to read them"), "an explanation without JavaScript");
    assert!(page.contains(r#"<script src="../review.js?v="#));
    assert!(page.contains(r#"<link rel="stylesheet" href="../review.css?v="#));
    assert!(!page.contains("review-separate"), "no section for points of contact when none is asked");
    assert!(!page.contains("<script>") && !page.contains("style="), "no inline script or style");
    let tools = read(site.path().join("public/survey/rule-a.html"));
    assert!(tools.contains(r#"<a href="../survey/review.html">Review your answers</a>"#));
}

#[test]
fn a_question_marked_separate_is_reviewed_in_a_section_of_its_own() {
    let site = fixture("mini");
    let part = site.path().join("survey-spec/part-one.toml");
    std::fs::write(&part, read(&part).replace("word_limit = 200\n", "word_limit = 200\nseparate = true\n")).unwrap();
    let out = normbook(site.path(), &["build", "-q"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = read(site.path().join("public/survey/review.html"));
    let separate = &page[page.find(r#"class="review-part review-separate""#).expect("a section of its own")..];
    assert!(separate.contains(r#"data-review-q="1.3""#));
    let parts = &page[..page.find(r#"class="review-part review-separate""#).unwrap()];
    assert!(!parts.contains(r#"data-review-q="1.3""#), "not among the response's answers");
    assert!(parts.contains(r##"see <a href="#review-separate">points of contact</a>"##));
}

/// The 16 hex digits after `"../<asset>?v=` in `html`.
fn version_of<'h>(html: &'h str, asset: &str) -> &'h str {
    let mark = format!("\"../{asset}?v=");
    let at = html.find(&mark).unwrap_or_else(|| panic!("no versioned link to {asset}")) + mark.len();
    &html[at..at + 16]
}

/// The stamp the page says its survey model has.
fn stamp_of(html: &str) -> &str {
    let at = html.find(r#"data-survey-model=""#).expect("a stamp") + r#"data-survey-model=""#.len();
    &html[at..at + html[at..].find('"').unwrap()]
}

#[test]
fn pages_link_scripts_and_stylesheets_by_versions_that_change_with_them() {
    let site = built();
    let page = || read(site.path().join("public/survey/rule-a.html"));
    let rebuild = || assert!(normbook(site.path(), &["build", "-q"]).status.success());
    let first = page();
    let stamp = stamp_of(&first).to_string();
    assert!(stamp.starts_with("1-"), "{stamp}");
    assert!(read(site.path().join("public/survey-model.js")).contains(&format!(r#""stamp":"{stamp}""#)));
    rebuild();
    assert_eq!(page(), first, "the same sources make the same page");

    let style = site.path().join("themes/default/static/style.css");
    std::fs::write(&style, read(&style) + "/* changed */\n").unwrap();
    let spec = site.path().join("survey-spec/survey.toml");
    std::fs::write(&spec, read(&spec).replace("version = 1", "version = 2")).unwrap();
    rebuild();
    let second = page();
    for asset in ["style.css", "survey-model.js"] {
        assert_ne!(version_of(&first, asset), version_of(&second, asset), "{asset}");
    }
    for asset in ["form.js", "print.css", "syntax.css", "print-pages.css"] {
        assert_eq!(version_of(&first, asset), version_of(&second, asset), "{asset}");
    }
    assert!(stamp_of(&second).starts_with("2-"));
}

#[test]
fn report_paragraphs_list_the_survey_pages_that_quote_them() {
    let site = built();
    let alpha = read(site.path().join("public/reports/alpha.html"));
    assert!(alpha.contains(r#"<a href="../survey/rule-a.html">Survey, Rule A</a>"#));
}

#[test]
fn links_within_a_report_still_lead_there_from_a_quoted_paragraph() {
    let site = fixture("mini");
    let alpha = site.path().join("content/alpha.md");
    let text = read(&alpha)
        .replace(
            "1. The first paragraph cites a footnote.[^1]",
            "1. The first paragraph cites a footnote.[^1] See [the introduction](#alpha-i-introduction).",
        )
        // Rule one cites the note too, but paragraph 1 shows it.
        .replace("    (a) Rule one;", "    (a) Rule one;[^1]")
        .replace("[^1]: A/1/200, a footnote.", "[^1]: A/1/200, a footnote; see [paragraph 2](#alpha-2).");
    std::fs::write(&alpha, text).unwrap();
    let out = normbook(site.path(), &["build", "-q"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // In the report the links stay on the page; on the survey page, which quotes paragraph 1
    // with its note, and item 3 (a), they lead to the report, but for the mark of a note
    // shown on the page.
    let report = read(site.path().join("public/reports/alpha.html"));
    assert!(report.contains(r##"<a href="#alpha-i-introduction">the introduction</a>"##), "{report}");
    assert!(report.contains(r##"<a href="#alpha-2">paragraph 2</a>"##), "{report}");
    let page = read(site.path().join("public/survey/rule-a.html"));
    assert!(page.contains(r##"<a href="../reports/alpha.html#alpha-i-introduction">the introduction</a>"##), "{page}");
    assert!(page.contains(r##"<a href="../reports/alpha.html#alpha-2">paragraph 2</a>"##), "{page}");
    assert!(page.contains(r##"<a href="#rule-a-g-alpha-fn-1">1</a>"##), "{page}");
    assert!(page.contains(r##"Rule one;<sup class="fnref"><a href="../reports/alpha.html#alpha-fn-1">1</a></sup>"##), "{page}");
}

#[test]
fn the_submission_step_sends_to_the_address_the_spec_gives_and_the_engine_knows_no_other() {
    let site = fixture("mini");
    let spec = site.path().join("survey-spec/survey.toml");
    let submission = "\n[submission]\nemail = \"survey-desk@ministry.example\"\nresponse = { question = \"1.1\", now = \"yes\" }\n";
    std::fs::write(&spec, read(&spec) + submission).unwrap();
    let out = normbook(site.path(), &["build", "-q"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // On the page of the question it follows, with the address, and the survey's title as subject.
    let page = read(site.path().join("public/survey/rule-a.html"));
    let step = &page[page.find(r#"id="submission""#).expect("the step is on the page of its question")..];
    assert!(step.contains(r#"data-email="survey-desk@ministry.example""#));
    assert!(step.contains(r#"href="mailto:survey-desk@ministry.example?subject=Mini%20survey""#), "{step}");
    assert!(step.contains(r#"data-submission-choice="response" data-question="1.1" data-now="yes""#));
    assert!(step.contains(r#"href="../survey/review.html?print=response""#));
    assert!(!step.contains("print=contacts"), "no print of points of contact where none is asked");
    assert!(page.contains(r#"<script src="../submission.js?v="#));
    assert!(!page.contains("cyberpolicyportal"), "no address but the spec's");
    // Without [submission], no step.
    let plain = fixture("mini");
    assert!(normbook(plain.path(), &["build", "-q"]).status.success());
    assert!(!read(plain.path().join("public/survey/rule-a.html")).contains("data-submission"));
}

#[test]
fn the_answers_format_documents_where_each_answer_of_a_merged_file_came_from() {
    let site = built();
    let schema: serde_json::Value = serde_json::from_str(&read(site.path().join("public/survey/answers.schema.json"))).unwrap();
    let properties = &schema["properties"];
    let merged_from = &properties["merged_from"];
    assert_eq!(merged_from["type"], "array");
    assert_eq!(merged_from["items"]["required"], serde_json::json!(["source", "file"]));
    assert_eq!(merged_from["items"]["properties"]["prepared_by"]["type"], "string");
    let sources = &properties["sources"];
    assert_eq!(sources["additionalProperties"]["items"]["type"], "string");
    assert!(sources["description"].as_str().unwrap().contains("`merged_from`"));
    // Files exported before a merge existed, or by one ministry, stay valid.
    let required = schema["required"].as_array().unwrap();
    assert!(!required.iter().any(|r| r == "sources" || r == "merged_from"), "files of the old shape stay valid");
}

#[test]
fn the_merge_and_compare_pages_are_built_and_linked_from_the_answers_tools_and_home() {
    let site = built();
    for (page, marker) in [("merge.html", "data-merge"), ("compare.html", "data-compare")] {
        let html = read(site.path().join("public/survey").join(page));
        assert!(html.contains(marker), "{page}");
        assert!(html.contains("needs JavaScript"), "{page}: an explanation without JavaScript");
        assert!(!html.contains("<script>") && !html.contains("style="), "{page}: no inline script or style");
    }
    let tools = read(site.path().join("public/survey/rule-a.html"));
    assert!(tools.contains(r#"<a href="../survey/merge.html">Merge answers files</a>"#));
    assert!(tools.contains(r#"<a href="../survey/compare.html">Compare with earlier answers</a>"#));
    let home = read(site.path().join("public/index.html"));
    assert!(home.contains(r#"href="survey/merge.html""#) && home.contains(r#"href="survey/compare.html""#));
}
