//! Building the fixture site: pages, links, anchors, citations, atomic output.

use crate::common::*;

#[test]
fn builds_every_page_with_a_summary_line() {
    let site = fixture("mini");
    let out = normbook(site.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let summary = stdout(&out);
    assert!(summary.starts_with("Built 12 pages in ") && summary.trim_end().ends_with(" ms into public"), "{summary}");
    for page in ["index.html", "404.html", "reports/index.html", "reports/alpha.html", "reports/beta.html", "style.css", "syntax.css"] {
        assert!(site.path().join("public").join(page).is_file(), "{page} missing");
    }
}

#[test]
fn main_of_pages_matches_golden_files() {
    let site = fixture("mini");
    assert!(normbook(site.path(), &["build", "--quiet"]).status.success());
    for (page, golden) in [("index.html", "index.html"), ("reports/alpha.html", "alpha.html"), ("reports/beta.html", "beta.html")] {
        let html = read(site.path().join("public").join(page));
        assert_golden(golden, main_of(&html));
    }
}

#[test]
fn paragraphs_have_anchors_permalinks_and_cross_links() {
    let site = fixture("mini");
    assert!(normbook(site.path(), &["build", "-q"]).status.success());
    let alpha = read(site.path().join("public/reports/alpha.html"));
    assert!(alpha.contains(r##"id="alpha-2-a" data-para="alpha:2-a""##));
    assert!(alpha.contains(r##"<a class="permalink" href="#alpha-2-a" title="Permalink to para. 2 (a)">(a)</a>"##));
    // "paragraph 3 (b) of this report" links; "operative paragraph 3 of resolution 1/1" does not.
    assert!(
        alpha.contains(
            r##"<a class="xref" href="../reports/alpha.html#alpha-3-b" title="A/1/100, para. 3 (b)">paragraph 3 (b)</a> of this report"##
        ),
        "{alpha}"
    );
    assert!(alpha.contains("operative paragraph 3 of resolution 1/1"));
    // A named series declared in front matter.
    assert!(alpha.contains(r##"rules <a class="xref" href="../reports/alpha.html#alpha-3-a""##), "{alpha}");
    // A symbol becomes a link to its document; the footnote sits with its paragraph.
    assert!(alpha.contains(r##"<a class="xref" href="../reports/beta.html" title="A/1/200">A/1/200</a>"##));
    assert!(alpha.contains(r##"<sup class="fnref"><a href="#alpha-fn-1">1</a></sup>"##));
    assert!(alpha.contains(r##"<li id="alpha-fn-1" value="1">"##));
    // Code is highlighted with classes only.
    assert!(alpha.contains(r#"<pre class="code" data-lang="toml">"#) && alpha.contains("hl-"));
}

#[test]
fn paragraphs_list_where_they_are_cited() {
    let site = fixture("mini");
    assert!(normbook(site.path(), &["build", "-q"]).status.success());
    let alpha = read(site.path().join("public/reports/alpha.html"));
    let item = &alpha[alpha.find(r#"id="alpha-2-a""#).unwrap()..];
    let item = &item[..item.find(r#"id="alpha-2-b""#).unwrap()];
    assert!(item.contains(r##"<a href="../reports/beta.html#beta-7">A/1/200, para. 7</a>"##), "{item}");
}

#[test]
fn every_link_is_relative_and_resolves() {
    let site = fixture("mini");
    assert!(normbook(site.path(), &["build", "-q", "--base-path", "/handbook/"]).status.success());
    let public = site.path().join("public");
    for page in ["index.html", "reports/index.html", "reports/alpha.html", "reports/beta.html"] {
        let html = read(public.join(page));
        for href in html.split("href=\"").skip(1).map(|s| &s[..s.find('"').unwrap()]) {
            assert!(!href.starts_with('/') && !href.contains("://") && !href.starts_with('@'), "{page}: {href}");
            let (file, anchor) = href.split_once('#').unwrap_or((href, ""));
            // Stylesheets carry their version as a query (`style.css?v=...`).
            let file = file.split_once('?').map_or(file, |(path, _)| path);
            let target = if file.is_empty() { public.join(page) } else { public.join(page).parent().unwrap().join(file) };
            assert!(target.is_file(), "{page}: {href} points nowhere");
            if !anchor.is_empty() {
                assert!(read(&target).contains(&format!("id=\"{anchor}\"")), "{page}: anchor {href} missing");
            }
        }
    }
    // The 404 page is served at any depth, so it links from the base path.
    assert!(read(public.join("404.html")).contains(r#"href="/handbook/index.html""#));
}

#[test]
fn a_failed_build_leaves_the_previous_output_intact() {
    let site = fixture("mini");
    assert!(normbook(site.path(), &["build", "-q"]).status.success());
    let before = read(site.path().join("public/reports/alpha.html"));
    // A broken reference fails the build before any page is written...
    let alpha = site.path().join("content/alpha.md");
    let text = read(&alpha);
    std::fs::write(&alpha, text.replace("1. The first", "1. See [[alpha:9]]. The first")).unwrap();
    let out = assert_build_fails_cleanly(site.path(), &before);
    let broken_reference = "content/alpha.md:23: `alpha:9`";
    assert!(stderr(&out).contains(broken_reference), "{}", stderr(&out));
    // ...and a broken link in a template is reported with it: the pages are still made, to
    // be checked.
    let report = site.path().join("themes/default/templates/report.html");
    std::fs::write(&report, read(&report).replace("</article>", "<a href=\"nowhere.html\">x</a></article>")).unwrap();
    let out = assert_build_fails_cleanly(site.path(), &before);
    let broken_link = "reports/alpha.html: the link `nowhere.html` points to no file of the site";
    assert!(stderr(&out).contains(broken_reference) && stderr(&out).contains(broken_link), "{}", stderr(&out));
    // The link alone fails the build once every page has been written.
    std::fs::write(&alpha, text.replace("1. The first", "1. Changed: the first")).unwrap();
    let out = assert_build_fails_cleanly(site.path(), &before);
    assert!(!stderr(&out).contains(broken_reference) && stderr(&out).contains(broken_link), "{}", stderr(&out));
}

/// Builds, expecting a failure that leaves `public/` as it was and no staging folder.
fn assert_build_fails_cleanly(site: &std::path::Path, alpha_before: &str) -> std::process::Output {
    let out = normbook(site, &["build"]);
    assert!(!out.status.success());
    assert_eq!(read(site.join("public/reports/alpha.html")), alpha_before);
    let leftovers: Vec<_> =
        std::fs::read_dir(site).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).filter(|n| n.contains("public.")).collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    out
}

#[test]
fn the_shipped_handbook_checks_clean() {
    let out = normbook(&repo(), &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("Checked "));
}

#[test]
fn a_report_may_not_take_the_path_of_the_list_of_reports() {
    let site = fixture("mini");
    // A report with id `index` would be written over the list of reports.
    let text = "+++\nid = \"index\"\ntitle = \"Index\"\norder = 9\n+++\n1. One.\n";
    std::fs::write(site.path().join("content/index.md"), text).unwrap();
    let out = normbook(site.path(), &["build"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("content/index.md:2: document id `index` is taken by the list of reports: choose another"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_theme_gets_the_report_text_however_it_uses_it() {
    let site = fixture("mini");
    assert!(normbook(site.path(), &["build", "-q"]).status.success());
    let placed = read(site.path().join("public/reports/alpha.html"));
    let body = &placed[placed.find(r#"<div class="para""#).unwrap()..placed.rfind("</article>").unwrap()];
    // A theme that shows the text twice, and once escaped, gets the text each time.
    let report = site.path().join("themes/default/templates/report.html");
    let twice = "{{ report.body | safe }}<hr>{{ report.body | safe }}<pre>{{ report.body }}</pre>";
    std::fs::write(&report, read(&report).replace("{{ report.body | safe }}", twice)).unwrap();
    assert!(normbook(site.path(), &["build", "-q"]).status.success());
    let alpha = read(site.path().join("public/reports/alpha.html"));
    assert_eq!(alpha.matches(body.trim_end()).count(), 2, "{alpha}");
    assert!(alpha.contains("<pre>&lt;h2 id=&quot;alpha-letter-of-transmittal&quot;&gt;"), "{alpha}");
    assert!(!alpha.contains("normbook:report-body"), "{alpha}");
}

#[test]
fn links_and_ids_written_in_markdown_are_checked() {
    let site = fixture("mini");
    let alpha = site.path().join("content/alpha.md");
    let text = read(&alpha);
    // An id made in raw HTML, an author's link to it, one with an escaped query, and links out.
    let prose = "I have the honour to submit the report, with regard to A/1/200.";
    let linked = format!(
        "{prose} <span id=\"annex\">Annex</span>, [the annex](#annex), [see](beta.html?a=1&b=2#beta-7), <a href='https://un.org/'>out</a>, [mail](mailto:x@un.org)."
    );
    // A paragraph the survey shows too links to beta: there, its link leads to the same place.
    let embedded = "1. The first paragraph";
    let linked_too = "1. [Beta's seventh](beta.html#beta-7). The first paragraph";
    std::fs::write(&alpha, text.replace(prose, &linked).replace(embedded, linked_too)).unwrap();
    let out = normbook(site.path(), &["build", "-q"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = read(site.path().join("public/reports/alpha.html"));
    assert!(page.contains(r##"<a href="#annex">the annex</a>"##) && page.contains(r#"href="beta.html?a=1&amp;b=2#beta-7""#), "{page}");
    assert!(page.contains(r##"<a href="beta.html#beta-7">Beta's seventh</a>"##), "{page}");
    let survey = read(site.path().join("public/survey/rule-a.html"));
    assert!(survey.contains(r##"<a href="../reports/beta.html#beta-7">Beta's seventh</a>"##), "{survey}");
    // A link to an id no page has fails the build, reported where the Markdown has it:
    // each place it is written, a footnote's too, and one written from the site root.
    let broken = text
        .replace(prose, &format!("{prose} [the annex](#annex), [gone](beta.html#beta-99)."))
        .replace("1. The first paragraph", "1. [Gone again](beta.html#beta-99), [home](@/index.html#nothing). The first paragraph")
        .replace("[^1]: A/1/200, a footnote.", "[^1]: A/1/200, a [footnote](#annex).");
    std::fs::write(&alpha, broken).unwrap();
    let out = normbook(site.path(), &["build"]);
    assert!(!out.status.success());
    let errors = stderr(&out);
    for expected in [
        "content/alpha.md:19: the link `beta.html#beta-99` (on reports/alpha.html) points to no element with id `beta-99`",
        "content/alpha.md:19: the link `#annex` (on reports/alpha.html) points to no element with id `annex`",
        "content/alpha.md:23: the link `beta.html#beta-99` (on reports/alpha.html) points to no element with id `beta-99`",
        "content/alpha.md:23: the link `@/index.html#nothing` (on reports/alpha.html) points to no element with id `nothing`",
        "content/alpha.md:41: the link `#annex` (on reports/alpha.html) points to no element with id `annex`",
    ] {
        assert!(errors.contains(expected), "{expected}\n{errors}");
    }
    // Each survey page that shows paragraph 1 reports its copy, leading where the report's does.
    assert!(
        errors.contains("survey/rule-a.html: the link `../reports/beta.html#beta-99` points to no element with id `beta-99`"),
        "{errors}"
    );
    assert_eq!(errors.matches("content/alpha.md").count(), 5, "{errors}");
}

#[test]
fn footnote_labels_that_end_like_attribute_names_build() {
    let site = fixture("mini");
    let alpha = site.path().join("content/alpha.md");
    let text = read(&alpha).replace("a footnote.[^1]", "a footnote.[^1] And[^xsrc=] more[^yhref=] and[^z-id=] text.").replace(
        "[^1]: A/1/200, a footnote.",
        "[^1]: A/1/200, a footnote.\n\n[^xsrc=]: Note x.\n\n[^yhref=]: Note y.\n\n[^z-id=]: Note z.",
    );
    std::fs::write(&alpha, text).unwrap();
    // Their anchors and values end in `src=`, `href=` and ` id=`: no part of them is a link.
    let out = normbook(site.path(), &["build", "-q"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = read(site.path().join("public/reports/alpha.html"));
    for label in ["xsrc=", "yhref=", "z-id="] {
        assert!(page.contains(&format!(r##"<a href="#alpha-fn-{label}">"##)), "{label}: {page}");
        assert!(page.contains(&format!(r#"<li id="alpha-fn-{label}" value="{label}">"#)), "{label}: {page}");
    }
}

#[test]
fn a_build_never_writes_over_its_sources_or_a_folder_it_did_not_write() {
    let site = fixture("mini");
    let root = site.path();
    std::fs::create_dir_all(root.join("static")).unwrap();
    std::fs::write(root.join("static/robots.txt"), "User-agent: *\n").unwrap();
    std::fs::write(root.join("notes.txt"), "my notes").unwrap();
    std::fs::create_dir_all(root.join("drafts")).unwrap();
    std::fs::write(root.join("drafts/answer.docx"), "draft").unwrap();
    let before = snapshot(root);
    let absolute_root = root.to_str().unwrap().to_string();
    let cases: &[(&str, &str)] = &[
        ("content", "--output: `content` is the source folder content/; a build replaces its output folder whole"),
        ("static", "--output: `static` is the source folder static/"),
        ("survey-spec", "--output: `survey-spec` is the source folder survey-spec/"),
        ("themes", "--output: `themes` is the source folder themes/"),
        ("themes/default/static", "--output: `themes/default/static` lies inside the source folder themes/"),
        ("content/../content/", "--output: `content/../content/` is the source folder content/"),
        (".", "--output: `.` is the handbook's own folder"),
        (&absolute_root, "is the handbook's own folder"),
        ("..", "holds the handbook's folder"),
        ("notes.txt", "--output: `notes.txt` is a file, not a folder: a build would delete it"),
        ("drafts", "--output: `drafts` holds files that normbook did not write (answer.docx) and no .normbook-output marker"),
    ];
    for (output, message) in cases {
        let out = normbook(root, &["build", "--quiet", "--no-search", "--output", output]);
        assert!(!out.status.success(), "--output {output} was built");
        assert!(stderr(&out).contains(message), "--output {output}: {}", stderr(&out));
        assert!(stderr(&out).contains("Nothing was written"), "{}", stderr(&out));
        assert_eq!(snapshot(root), before, "--output {output} changed a file");
    }
    // The setting in site.toml is named with its line.
    let config = read(root.join("site.toml"));
    std::fs::write(root.join("site.toml"), format!("{config}output_dir = \"content\"\n")).unwrap();
    let out = normbook(root, &["build", "--quiet", "--no-search"]);
    let line = config.lines().count() + 1;
    assert!(stderr(&out).starts_with(&format!("Error: site.toml:{line}: `content` is the source folder content/")), "{}", stderr(&out));
    std::fs::write(root.join("site.toml"), &config).unwrap();
    // --force replaces a folder of other files; from then on the marker says it is the build's.
    let out = normbook(root, &["build", "--quiet", "--no-search", "--output", "drafts", "--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(root.join("drafts/index.html").is_file() && !root.join("drafts/answer.docx").exists());
    assert!(normbook(root, &["build", "--quiet", "--no-search", "--output", "drafts"]).status.success());
}

#[test]
fn dot_files_of_the_output_folder_are_kept_across_builds() {
    let site = fixture("mini");
    let public = site.path().join("public");
    // A checkout of a publishing branch: only dot-files, so it may be built into.
    std::fs::create_dir_all(public.join(".git/objects")).unwrap();
    std::fs::write(public.join(".git/HEAD"), "ref: refs/heads/gh-pages\n").unwrap();
    std::fs::write(public.join(".nojekyll"), "").unwrap();
    // A dot-file the site itself publishes comes from static/, and goes when removed there.
    std::fs::create_dir_all(site.path().join("static/.well-known")).unwrap();
    std::fs::write(site.path().join("static/.well-known/security.txt"), "Contact: x").unwrap();
    for _ in 0..2 {
        let out = normbook(site.path(), &["build", "--quiet", "--no-search"]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(read(public.join(".git/HEAD")), "ref: refs/heads/gh-pages\n");
        assert!(public.join(".git/objects").is_dir() && public.join(".nojekyll").is_file());
        assert!(public.join(".well-known/security.txt").is_file() && public.join(".normbook-output").is_file());
    }
    std::fs::remove_dir_all(site.path().join("static/.well-known")).unwrap();
    assert!(normbook(site.path(), &["build", "--quiet", "--no-search"]).status.success());
    assert!(!public.join(".well-known").exists(), "a dot-file the build wrote is not kept once its source is gone");
    assert!(public.join(".git/HEAD").is_file());
    // The site comes to publish a dot-file of the same name as one of the user's: the site's wins.
    std::fs::write(site.path().join("static/.nojekyll"), "site's").unwrap();
    assert!(normbook(site.path(), &["build", "--quiet", "--no-search"]).status.success());
    assert_eq!(read(public.join(".nojekyll")), "site's");
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.contains("public."))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
