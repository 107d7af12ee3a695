//! The survey's template contexts: parts, sections (norm pages) and questions, with the
//! report paragraphs they reference embedded as rendered nodes.
//!
//! Steps: `cite` records the paragraphs each section and extract quotes (for "Cited in");
//! `survey_view` then builds the views, embedding copies of the rendered paragraphs.

use std::sync::Arc;

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::body::{embedded_node, embedded_text};
use super::documents::{Citer, Found};
use super::markdown::{render, render_inline, TextContext};
use super::views::{LinkView, NodeView, ReportView};
use crate::content::xref::{Linker, Place, Resolved, Scope};
use crate::content::{Library, TargetId};
use crate::error::Diagnostic;
use crate::survey::spec::{Choice, Extract, Field, Kind, Question, Section, SubmissionChoice};
use crate::survey::submission::mailto;
use crate::survey::{dom_id, page_path, Part, Survey};

#[derive(Debug, Clone, Serialize)]
pub struct SurveyView {
    pub id: String,
    pub title: String,
    pub version: u32,
    pub instructions_html: String,
    pub href: String,
    pub instructions_href: String,
    /// The page that shows the answers given so far, in reading form.
    pub review_href: String,
    /// The page that merges the answers files of several drafts into one.
    pub merge_href: String,
    /// The page that compares an earlier answers file with the answers of now.
    pub compare_href: String,
    pub parts: Vec<PartView>,
    pub submission: Option<SubmissionView>,
}

/// The "Prepare your submission" step: what to print and where to send it. Its script
/// follows the answers to the questions it names.
#[derive(Debug, Clone, Serialize)]
pub struct SubmissionView {
    pub email: String,
    /// `mailto:` the address, with the survey's title as subject; the step's script adds
    /// who prepared the response and which PDFs to attach.
    pub mailto: String,
    /// The step on its page.
    pub href: String,
    /// The response, printed without the answers kept separate.
    pub print_response_href: String,
    /// The answers kept separate (points of contact), printed alone; none when no
    /// question is kept separate.
    pub print_separate_href: Option<String>,
    pub response: SubmissionChoiceView,
    pub separate: Option<SubmissionChoiceView>,
}

/// A question the step follows, and its options that mean "now" and "later".
#[derive(Debug, Clone, Serialize)]
pub struct SubmissionChoiceView {
    pub question: String,
    /// The question in its form.
    pub href: String,
    pub now: String,
    pub later: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PartView {
    pub id: String,
    pub number: Option<String>,
    pub title: String,
    pub short_title: String,
    pub pillar: Option<String>,
    pub intro_html: String,
    pub href: String,
    pub extracts: Vec<ExtractView>,
    pub sections: Vec<SectionView>,
    /// Ids of the part's questions, for the progress shown on the home page.
    pub question_ids: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExtractView {
    pub title: Option<String>,
    pub heading: Option<String>,
    pub nodes: Vec<EmbeddedNode>,
}

/// A report paragraph (or sub-item) quoted on a survey page, with its sub-items and notes;
/// its permalink leads to the full report.
#[derive(Debug, Clone, Serialize)]
pub struct EmbeddedNode {
    /// `gge-2021:71-g`.
    pub id: String,
    /// `A/76/135, para. 71 (g)`.
    pub citation: String,
    /// The node in its report, from the site root.
    pub href: String,
    /// Its own text, without sub-items (for previews).
    pub html: String,
    /// The whole node, ready to place.
    pub markup: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionView {
    pub id: String,
    pub title: String,
    /// What the section is about, in a few words (`In case of ICT incidents, States
    /// should consider…`): the spec's `subject`, or the opening words of its statement;
    /// empty when it has neither.
    pub subject: String,
    /// True when the section has a page of its own.
    pub page: bool,
    pub href: String,
    pub part_id: String,
    pub intro_html: String,
    /// The text the section is about (the 2015 norm).
    pub statement: Vec<EmbeddedNode>,
    /// The same text as a heading of another report (the 2021 GGE norm heading).
    pub heading: Option<HeadingView>,
    /// Guidance paragraphs, shown as numbered notes.
    pub guidance: Vec<EmbeddedNode>,
    pub related: Vec<EmbeddedNode>,
    pub extracts: Vec<ExtractView>,
    pub questions: Vec<QuestionView>,
    /// The submission step, on the section that asks whether to submit.
    pub submission: Option<SubmissionView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HeadingView {
    pub html: String,
    pub href: String,
    pub citation: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuestionView {
    pub id: String,
    /// As printed (may be empty).
    pub number: String,
    /// Base of the HTML ids of the question's controls (`q-2-1`).
    pub dom_id: String,
    /// The question in its form, from the site root (`@/survey/norm-a.html#q-2-1`).
    pub href: String,
    pub text_html: String,
    pub kind: Kind,
    pub options: Vec<ChoiceView>,
    /// Where the answers lead, as text ("If Yes, go to 1.2; if No, go to 1.4.").
    pub branching: Option<String>,
    /// When the question applies, as text ("Answer if 2.1 is No.").
    pub condition: Option<String>,
    pub note_html: Option<String>,
    pub details: Option<String>,
    pub word_limit: Option<u32>,
    pub fields: Vec<FieldView>,
    pub repeat: bool,
    pub item_label: String,
    pub instances: Vec<InstanceView>,
    pub separate: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChoiceView {
    pub value: String,
    pub label: String,
    pub hint: Option<String>,
    pub specify: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FieldView {
    pub id: String,
    pub label: String,
    pub kind: Kind,
    pub word_limit: Option<u32>,
    pub options: Vec<ChoiceView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct InstanceView {
    pub id: String,
    pub label: String,
}

pub fn part_href(part: &Part) -> String {
    format!("@/survey/{}.html", part.spec.id.get_ref())
}

pub fn section_href(part: &Part, section: &Section) -> String {
    let page = format!("@/{}", page_path(part, section));
    if section.page {
        page
    } else {
        format!("{page}#section-{}", section.id.get_ref())
    }
}

/// The places that references name, ranges expanded, in order.
fn referenced<'a>(lib: &Library, refs: impl Iterator<Item = &'a String>) -> Vec<Place> {
    refs.filter_map(|r| lib.resolve(r).ok())
        .flat_map(|resolved| match resolved {
            Resolved::Document(doc) => vec![Place::Document(doc)],
            Resolved::Nodes(nodes) => nodes.into_iter().map(Place::Node).collect(),
        })
        .collect()
}

fn extract_refs(extracts: &[Extract]) -> impl Iterator<Item = &String> {
    extracts.iter().flat_map(|e| e.paragraphs.iter().map(|p| p.get_ref()))
}

/// Records the paragraphs quoted by each part and section, so their "Cited in" lists them.
pub fn cite(survey: &Survey, lib: &Library, citations: &mut Found) {
    let page = |href: String, title: &str| Citer::Page(Arc::new(LinkView { href, text: format!("Survey, {title}") }));
    for part in &survey.parts {
        citations.add(&page(part_href(part), &part.spec.title), &referenced(lib, extract_refs(&part.spec.extracts)));
        for section in &part.spec.sections {
            let refs = section
                .statement
                .iter()
                .chain(&section.guidance)
                .chain(&section.related)
                .chain(section.heading.as_slice())
                .map(|r| r.get_ref());
            let citer = page(section_href(part, section), &section.title);
            citations.add(&citer, &referenced(lib, refs.chain(extract_refs(&section.extracts))));
        }
    }
}

/// Rendered paragraphs by target, to embed in survey pages.
pub struct NodeIndex<'r> {
    nodes: FxHashMap<TargetId, &'r NodeView>,
}

impl<'r> NodeIndex<'r> {
    pub fn empty() -> Self {
        NodeIndex { nodes: FxHashMap::default() }
    }

    pub fn new(reports: &[&'r ReportView]) -> Self {
        let nodes = reports.iter().flat_map(|report| report.nodes()).map(|node| (node.target, node)).collect();
        NodeIndex { nodes }
    }

    /// The referenced nodes, with anchors prefixed so a page can hold the same paragraph
    /// twice; permalinks keep pointing at the full report.
    fn embed(&self, lib: &Library, refs: &[toml::Spanned<String>], prefix: &str) -> Vec<EmbeddedNode> {
        let places = referenced(lib, refs.iter().map(|r| r.get_ref()));
        let ids: Vec<String> = places.iter().map(|&place| lib.place_id(place)).collect();
        // A sub-item already shown inside its referenced paragraph is not shown twice.
        let shown_within = |id: &String| ids.iter().any(|other| id.starts_with(&format!("{other}-")));
        places
            .iter()
            .zip(&ids)
            .filter(|(_, id)| !shown_within(id))
            .filter_map(|(place, id)| match place {
                Place::Node(target) => self.nodes.get(target).map(|node| (node, id)),
                Place::Document(_) => None,
            })
            .map(|(node, id)| EmbeddedNode {
                id: id.clone(),
                citation: lib.link_title(Place::Node(node.target)),
                href: super::names::link_href(lib, Place::Node(node.target)),
                html: embedded_text(node, lib, prefix),
                markup: embedded_node(node, lib, prefix),
            })
            .collect()
    }
}

/// Builds the survey's views; problems are references in the survey's own texts.
pub struct SurveyRenderer<'a> {
    pub survey: &'a Survey,
    pub lib: &'a Library,
    pub linker: &'a Linker<'a>,
    pub nodes: &'a NodeIndex<'a>,
    pub problems: &'a mut Vec<Diagnostic>,
}

impl SurveyRenderer<'_> {
    fn markdown(&mut self, part: &Part, line: usize, text: &str, inline: bool) -> String {
        let scope = Scope::default();
        let ctx = TextContext { linker: self.linker, scope: &scope, footnote_prefix: "survey" };
        let rendered = if inline { render_inline(text, line, &ctx) } else { render(text, line, &ctx) };
        for (_, message) in rendered.problems {
            self.problems.push(Diagnostic::at(&part.source.path, line, message));
        }
        rendered.html
    }

    pub fn view(&mut self) -> SurveyView {
        let first = self.survey.parts.first();
        let instructions_html = match first {
            Some(part) => self.markdown(part, 1, &self.survey.spec.instructions.clone(), false),
            None => String::new(),
        };
        let submission = self.submission();
        let mut parts: Vec<PartView> = self.survey.parts.iter().map(|p| self.part(p)).collect();
        if let Some(step) = &submission {
            let asking =
                parts.iter_mut().flat_map(|p| &mut p.sections).find(|s| s.questions.iter().any(|q| q.id == step.response.question));
            if let Some(section) = asking {
                section.submission = Some(step.clone());
            }
        }
        SurveyView {
            id: self.survey.spec.id.clone(),
            title: self.survey.spec.title.clone(),
            version: self.survey.spec.version,
            instructions_html,
            href: "@/survey/index.html".into(),
            instructions_href: "@/survey/instructions.html".into(),
            review_href: "@/survey/review.html".into(),
            merge_href: "@/survey/merge.html".into(),
            compare_href: "@/survey/compare.html".into(),
            parts,
            submission,
        }
    }

    /// The step's view, when the spec has a `[submission]` whose questions exist (a
    /// spec that names others fails validation).
    fn submission(&self) -> Option<SubmissionView> {
        let spec = self.survey.spec.submission.as_ref()?;
        let choice = |c: &SubmissionChoice| {
            let placed = self.survey.questions().find(|p| p.question.id.get_ref() == c.question.get_ref())?;
            Some(SubmissionChoiceView {
                question: c.question.get_ref().clone(),
                href: format!("@/{}#{}", page_path(placed.part, placed.section), dom_id(c.question.get_ref())),
                now: c.now.get_ref().clone(),
                later: c.later.as_ref().map(|l| l.get_ref().clone()),
            })
        };
        let response = choice(&spec.response)?;
        let step_page = response.href.split('#').next().unwrap_or_default().to_string();
        let has_separate = self.survey.questions().any(|p| p.question.separate);
        Some(SubmissionView {
            email: spec.email.get_ref().clone(),
            mailto: mailto(spec.email.get_ref(), &self.survey.spec.title),
            href: format!("{step_page}#submission"),
            print_response_href: "@/survey/review.html?print=response".into(),
            print_separate_href: has_separate.then(|| "@/survey/review.html?print=contacts".into()),
            separate: spec.separate.as_ref().and_then(choice),
            response,
        })
    }

    fn extracts(&self, extracts: &[Extract], prefix: &str) -> Vec<ExtractView> {
        extracts
            .iter()
            .enumerate()
            .map(|(i, e)| ExtractView {
                title: e.title.clone(),
                heading: e.heading.clone(),
                nodes: self.nodes.embed(self.lib, &e.paragraphs, &format!("{prefix}-x{i}")),
            })
            .collect()
    }

    fn part(&mut self, part: &Part) -> PartView {
        let spec = &part.spec;
        let intro_html = spec.intro.as_deref().map(|t| self.markdown(part, 1, t, false)).unwrap_or_default();
        let sections = spec.sections.iter().map(|s| self.section(part, s)).collect();
        PartView {
            id: spec.id.get_ref().clone(),
            number: spec.number.clone(),
            title: spec.title.clone(),
            short_title: spec.short_title.clone().unwrap_or_else(|| spec.title.clone()),
            pillar: spec.pillar.clone(),
            intro_html,
            href: part_href(part),
            extracts: self.extracts(&spec.extracts, spec.id.get_ref()),
            sections,
            question_ids: spec.sections.iter().flat_map(|s| &s.questions).map(|q| q.id.get_ref().clone()).collect(),
        }
    }

    fn section(&mut self, part: &Part, section: &Section) -> SectionView {
        let id = section.id.get_ref().clone();
        let line = part.source.line(section.id.span());
        let heading = section.heading.as_ref().and_then(|h| {
            let target = self.lib.target_id(h.get_ref())?;
            let place = Place::Node(target);
            let html = self.lib.target_at(target).label().into_owned();
            Some(HeadingView { html, href: super::names::link_href(self.lib, place), citation: self.lib.link_title(place) })
        });
        let heading = heading.map(|h| HeadingView { html: self.markdown(part, line, &h.html, true), ..h });
        let intro_html = section.intro.as_deref().map(|t| self.markdown(part, line, t, false)).unwrap_or_default();
        let questions = section.questions.iter().map(|q| self.question(part, section, q)).collect();
        let statement = self.nodes.embed(self.lib, &section.statement, &format!("{id}-s"));
        let subject =
            section.subject.clone().unwrap_or_else(|| statement.first().map_or_else(String::new, |node| opening_words(&node.html)));
        SectionView {
            subject,
            page: section.page,
            href: section_href(part, section),
            part_id: part.spec.id.get_ref().clone(),
            title: section.title.clone(),
            intro_html,
            statement,
            heading,
            guidance: self.nodes.embed(self.lib, &section.guidance, &format!("{id}-g")),
            related: self.nodes.embed(self.lib, &section.related, &format!("{id}-r")),
            extracts: self.extracts(&section.extracts, &id),
            questions,
            submission: None,
            id,
        }
    }

    fn choices(&self, choices: Option<&[Choice]>) -> Vec<ChoiceView> {
        choices
            .unwrap_or_default()
            .iter()
            .map(|c| ChoiceView { value: c.value.clone(), label: c.label.clone(), hint: c.hint.clone(), specify: c.specify.clone() })
            .collect()
    }

    fn field(&self, field: &Field) -> FieldView {
        FieldView {
            id: field.id.clone(),
            label: field.label.clone(),
            kind: field.kind,
            word_limit: field.word_limit,
            options: self.choices(self.survey.options(field.options.as_ref())),
        }
    }

    fn question(&mut self, part: &Part, section: &Section, q: &Question) -> QuestionView {
        let line = part.source.line(q.id.span());
        let id = q.id.get_ref().clone();
        let dom_id = dom_id(&id);
        let options = self.choices(self.survey.options(q.options.as_ref().map(|o| o.get_ref())));
        QuestionView {
            number: q.printed_number().to_string(),
            href: format!("@/{}#{dom_id}", page_path(part, section)),
            dom_id,
            text_html: self.markdown(part, line, &q.text, true),
            kind: q.kind,
            branching: branching_text(self.survey, q, &options),
            condition: condition_text(self.survey, &id),
            note_html: q.note.as_deref().map(|n| self.markdown(part, line, n, false)),
            details: q.details.clone(),
            word_limit: q.word_limit,
            fields: self.survey.fields(q).unwrap_or_default().iter().map(|f| self.field(f)).collect(),
            repeat: q.repeat,
            item_label: q.item_label.clone().unwrap_or_else(|| "Item".into()),
            instances: q.instances.iter().map(|i| InstanceView { id: i.id.clone(), label: i.label.clone() }).collect(),
            separate: q.separate,
            options,
            id,
        }
    }
}

fn labels_of(values: &[String], options: &[ChoiceView]) -> String {
    let labels: Vec<&str> =
        values.iter().map(|v| options.iter().find(|o| &o.value == v).map_or(v.as_str(), |o| o.label.as_str())).collect();
    labels.join(" or ")
}

fn printed(survey: &Survey, id: &str) -> String {
    survey
        .questions()
        .find(|p| p.question.id.get_ref() == id)
        .map(|p| p.question.printed_number().to_string())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| id.to_string())
}

/// "If Yes or Under consideration, go to 2.2; if No, go to 2.3."
fn branching_text(survey: &Survey, q: &Question, options: &[ChoiceView]) -> Option<String> {
    let rules: Vec<String> = q
        .branch
        .iter()
        .filter_map(|b| {
            let target = b.goto.as_ref().or(b.continue_to.as_ref())?;
            Some(format!("if {}, go to {}", labels_of(b.when.get_ref(), options), printed(survey, target.get_ref())))
        })
        .collect();
    if rules.is_empty() {
        return None;
    }
    let text = rules.join("; ");
    let mut chars = text.chars();
    let first = chars.next().map(|c| c.to_uppercase().collect::<String>()).unwrap_or_default();
    Some(format!("{first}{}.", chars.as_str()))
}

/// "Answer if 2.1 is No." for a question some branch leads to.
fn condition_text(survey: &Survey, id: &str) -> Option<String> {
    let mut conditions = Vec::new();
    for placed in survey.questions() {
        let q = placed.question;
        let options: Vec<ChoiceView> = survey
            .options(q.options.as_ref().map(|o| o.get_ref()))
            .unwrap_or_default()
            .iter()
            .map(|c| ChoiceView { value: c.value.clone(), label: c.label.clone(), hint: None, specify: None })
            .collect();
        for branch in &q.branch {
            if branch.goto.as_ref().is_some_and(|g| g.get_ref() == id) {
                conditions.push(format!("{} is {}", q.printed_number(), labels_of(branch.when.get_ref(), &options)));
            }
        }
    }
    (!conditions.is_empty()).then(|| format!("Answer if {}.", conditions.join(", or if ")))
}

impl SectionView {
    /// Its title with its subject: `Norm B: In case of ICT incidents, States should…`.
    pub fn full_title(&self) -> String {
        if self.subject.is_empty() {
            self.title.clone()
        } else {
            format!("{}: {}", self.title, self.subject)
        }
    }
}

/// The opening words of a paragraph's HTML as plain text, cut at a word before 60
/// characters and marked with an ellipsis: a norm's subject, quoted verbatim.
fn opening_words(html: &str) -> String {
    const ROOM: usize = 60;
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'");
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out = String::new();
    for word in &words {
        if !out.is_empty() && out.chars().count() + 1 + word.chars().count() > ROOM {
            let cut = out.trim_end_matches([',', ';', ':', '.']);
            return format!("{cut}…");
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    // A norm quoted whole still ends as a list item does (`;`): a subject does not.
    out.trim_end_matches([',', ';', ':']).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_subject_is_the_opening_words_of_the_text_verbatim() {
        let html = "In case of ICT incidents, States should consider all relevant <a href=\"x\">information</a>, including &amp; more";
        assert_eq!(opening_words(html), "In case of ICT incidents, States should consider all…");
        assert_eq!(opening_words("<p>Short text.</p>"), "Short text.");
        assert_eq!(opening_words("Rule one;"), "Rule one");
        assert_eq!(opening_words(""), "");
    }
}
