//! The survey: loads `survey-spec/` (survey.toml and one file per part) into a `Survey`,
//! then `validate` checks it against itself and against the content library.
//!
//! One spec drives the web form, the printed worksheet and the JSON format of answers.

pub mod print;
pub mod schema;
pub mod spec;
pub mod submission;
pub mod validate;

#[cfg(test)]
mod proptests;

use std::path::{Path, PathBuf};

use crate::error::{line_at, toml_diagnostic, Diagnostic};
use spec::{Choice, Field, FieldsRef, OptionsRef, PartFile, Question, Section, SurveyFile};

pub const SPEC_DIR: &str = "survey-spec";
pub const SURVEY_FILE: &str = "survey.toml";

/// A loaded file: its path (from the root) and its text, to turn spans into lines.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: PathBuf,
    pub text: String,
}

impl Source {
    pub fn line(&self, span: std::ops::Range<usize>) -> usize {
        line_at(&self.text, span.start, 1)
    }

    pub fn error(&self, span: std::ops::Range<usize>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::at(&self.path, self.line(span), message)
    }

    /// A problem at the first line holding `needle` (for items serde gives no span).
    pub fn error_at_text(&self, needle: &str, message: impl Into<String>) -> Diagnostic {
        let line = self.text.find(needle).map_or(1, |at| line_at(&self.text, at, 1));
        Diagnostic::at(&self.path, line, message)
    }
}

#[derive(Debug, Clone)]
pub struct Part {
    pub spec: PartFile,
    pub source: Source,
}

#[derive(Debug, Clone)]
pub struct Survey {
    pub spec: SurveyFile,
    pub source: Source,
    /// In the order `survey.toml` lists them.
    pub parts: Vec<Part>,
}

/// The page that holds a section's questions, from the site root: its own page, or its
/// part's.
pub fn page_path(part: &Part, section: &Section) -> String {
    let name = if section.page { section.id.get_ref() } else { part.spec.id.get_ref() };
    format!("survey/{name}.html")
}

/// `2.1` becomes `q-2-1`: a safe base for the ids of a question's controls.
pub fn dom_id(id: &str) -> String {
    let safe: String = id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '-' }).collect();
    format!("q-{safe}")
}

/// A question with where it stands: part, section, and its place in the whole survey.
#[derive(Debug, Clone, Copy)]
pub struct Placed<'s> {
    pub part: &'s Part,
    pub section: &'s Section,
    pub question: &'s Question,
    /// Position among all questions, in survey order.
    pub order: usize,
}

impl Survey {
    /// Every question, in survey order.
    pub fn questions(&self) -> impl Iterator<Item = Placed<'_>> {
        self.parts
            .iter()
            .flat_map(|part| part.spec.sections.iter().map(move |section| (part, section)))
            .flat_map(|(part, section)| section.questions.iter().map(move |question| (part, section, question)))
            .enumerate()
            .map(|(order, (part, section, question))| Placed { part, section, question, order })
    }

    /// The options of a question or field: its own, or its option set's.
    pub fn options<'s>(&'s self, options: Option<&'s OptionsRef>) -> Option<&'s [Choice]> {
        match options? {
            OptionsRef::Set(name) => self.spec.option_sets.get(name).map(|s| s.options.as_slice()),
            OptionsRef::Inline(choices) => Some(choices),
        }
    }

    /// The fields of a group question: its own, or its field set's.
    pub fn fields<'s>(&'s self, question: &'s Question) -> Option<&'s [Field]> {
        match question.fields.as_ref().map(|f| f.get_ref())? {
            FieldsRef::Set(name) => self.spec.field_sets.get(name).map(|s| s.fields.as_slice()),
            FieldsRef::Inline(fields) => Some(fields),
        }
    }
}

fn read(root: &Path, rel: PathBuf, problems: &mut Vec<Diagnostic>) -> Option<Source> {
    match std::fs::read_to_string(root.join(&rel)) {
        Ok(text) => Some(Source { path: rel, text }),
        Err(e) => {
            problems.push(Diagnostic::file(&rel, format!("cannot read: {e}")));
            None
        }
    }
}

fn parse<T: serde::de::DeserializeOwned>(source: &Source, problems: &mut Vec<Diagnostic>) -> Option<T> {
    toml::from_str(&source.text).map_err(|e| problems.push(toml_diagnostic(&source.path, &source.text, 1, &e))).ok()
}

/// Loads the spec; `None` when the handbook has no `survey-spec/` folder.
pub fn load(root: &Path, problems: &mut Vec<Diagnostic>) -> Option<Survey> {
    let dir = Path::new(SPEC_DIR);
    if !root.join(dir).is_dir() {
        return None;
    }
    let source = read(root, dir.join(SURVEY_FILE), problems)?;
    let spec: SurveyFile = parse(&source, problems)?;
    let mut parts = Vec::new();
    for name in &spec.parts {
        let rel = dir.join(format!("{}.toml", name.get_ref()));
        if !root.join(&rel).is_file() {
            problems.push(source.error(name.span(), format!("part `{}` has no file {}", name.get_ref(), rel.display())));
            continue;
        }
        if let Some(part_source) = read(root, rel, problems) {
            if let Some(part) = parse::<PartFile>(&part_source, problems) {
                parts.push(Part { spec: part, source: part_source });
            }
        }
    }
    if let Ok(entries) = std::fs::read_dir(root.join(dir)) {
        let mut unlisted: Vec<String> = entries
            .flatten()
            .filter_map(|e| e.file_name().to_str().and_then(|n| n.strip_suffix(".toml")).map(str::to_string))
            .filter(|stem| stem != "survey" && !spec.parts.iter().any(|p| p.get_ref() == stem))
            .collect();
        unlisted.sort();
        for stem in unlisted {
            problems.push(Diagnostic::file(dir.join(format!("{stem}.toml")), "this part is not listed in survey.toml `parts`"));
        }
    }
    Some(Survey { spec, source, parts })
}
