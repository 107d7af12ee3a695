//! The survey spec (`survey-spec/`): serde types for `survey.toml` and the part files,
//! exactly as written, with the spans needed to report problems at their line.
//! docs/survey-spec.md documents the format.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

/// `survey.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyFile {
    pub id: String,
    pub title: String,
    /// Recorded in exported answers; bump it when questions change.
    pub version: u32,
    /// Part file names (without `.toml`), in order.
    pub parts: Vec<Spanned<String>>,
    /// Markdown shown on the instructions page.
    #[serde(default)]
    pub instructions: String,
    #[serde(default)]
    pub option_sets: BTreeMap<String, OptionSet>,
    #[serde(default)]
    pub field_sets: BTreeMap<String, FieldSet>,
    /// How a finished response is sent: the "Prepare your submission" step.
    #[serde(default)]
    pub submission: Option<Submission>,
}

/// `[submission]`: the response is printed to PDF without the answers kept separate
/// (`separate = true`), those are printed to a PDF of their own, and the user e-mails
/// what they choose to this address. The site itself sends nothing.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Submission {
    /// Where the PDFs are sent (`mailto:`).
    pub email: Spanned<String>,
    /// The question whose answer says whether the response is sent; the step is shown
    /// on its page.
    pub response: SubmissionChoice,
    /// The question whose answer says whether the separate answers are sent.
    #[serde(default)]
    pub separate: Option<SubmissionChoice>,
}

/// A single choice question of the survey and what its options mean for the submission.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubmissionChoice {
    pub question: Spanned<String>,
    /// The option that means "send it now".
    pub now: Spanned<String>,
    /// The option that means "send it later" (any other answer: not sent).
    #[serde(default)]
    pub later: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionSet {
    pub options: Vec<Choice>,
}

/// One answer option.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// Stored in answers.
    pub value: String,
    /// Shown and printed.
    pub label: String,
    /// An example printed after the label ("e.g. ...").
    #[serde(default)]
    pub hint: Option<String>,
    /// When set, ticking the option asks for details with this prompt.
    #[serde(default)]
    pub specify: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSet {
    pub fields: Vec<Field>,
}

/// A field of a group question.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    pub id: String,
    pub label: String,
    #[serde(rename = "type")]
    pub kind: Kind,
    #[serde(default)]
    pub word_limit: Option<u32>,
    /// No span here: fields may sit inside an untagged `FieldsRef`, where spans are lost.
    #[serde(default)]
    pub options: Option<OptionsRef>,
}

/// A part file: `survey-spec/<part>.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartFile {
    pub id: Spanned<String>,
    /// Printed part number ("I").
    #[serde(default)]
    pub number: Option<String>,
    pub title: String,
    #[serde(default)]
    pub short_title: Option<String>,
    /// The pillar of the framework the part belongs to (a search filter).
    #[serde(default)]
    pub pillar: Option<String>,
    #[serde(default)]
    pub intro: Option<String>,
    #[serde(default)]
    pub extracts: Vec<Extract>,
    pub sections: Vec<Section>,
}

/// Report paragraphs quoted before questions, by reference.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Extract {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub heading: Option<String>,
    /// Paragraph ids or ranges (`gge-2015:24-29`).
    pub paragraphs: Vec<Spanned<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub id: Spanned<String>,
    pub title: String,
    /// True when the section gets a page of its own (each norm).
    #[serde(default)]
    pub page: bool,
    /// A short label for what the section is about, shown with its title wherever it is
    /// named (editorial, never a change to the quoted text); by default, the opening words
    /// of its statement.
    #[serde(default)]
    pub subject: Option<String>,
    #[serde(default)]
    pub intro: Option<String>,
    /// The text the section is about (the norm), by paragraph id.
    #[serde(default)]
    pub statement: Vec<Spanned<String>>,
    /// A heading of another report for the same text (the 2021 GGE norm heading).
    #[serde(default)]
    pub heading: Option<Spanned<String>>,
    /// Guidance paragraphs, shown as numbered notes.
    #[serde(default)]
    pub guidance: Vec<Spanned<String>>,
    /// Other paragraphs that bear on the section.
    #[serde(default)]
    pub related: Vec<Spanned<String>>,
    #[serde(default)]
    pub extracts: Vec<Extract>,
    #[serde(default)]
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Single,
    Multiple,
    Text,
    Line,
    Urls,
    Url,
    Email,
    Tel,
    List,
    Confirm,
    Group,
}

impl Kind {
    pub fn has_options(self) -> bool {
        matches!(self, Kind::Single | Kind::Multiple)
    }
}

/// An option set's name, or options written in place.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum OptionsRef {
    Set(String),
    Inline(Vec<Choice>),
}

/// A field set's name, or fields written in place.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum FieldsRef {
    Set(String),
    Inline(Vec<Field>),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// The printed number, and the key of the answer.
    pub id: Spanned<String>,
    /// The printed number when it differs from `id` (`""` for none).
    #[serde(default)]
    pub number: Option<String>,
    pub text: String,
    #[serde(rename = "type")]
    pub kind: Kind,
    #[serde(default)]
    pub options: Option<Spanned<OptionsRef>>,
    #[serde(default)]
    pub branch: Vec<Branch>,
    /// The survey's footnote on this question (Markdown).
    #[serde(default)]
    pub note: Option<String>,
    /// Adds a free-text field after the question, with this label.
    #[serde(default)]
    pub details: Option<String>,
    #[serde(default)]
    pub word_limit: Option<u32>,
    #[serde(default)]
    pub fields: Option<Spanned<FieldsRef>>,
    /// A group that can be repeated (initiatives).
    #[serde(default)]
    pub repeat: bool,
    /// What one repetition is called ("Initiative").
    #[serde(default)]
    pub item_label: Option<String>,
    /// One copy of the group's fields per instance (points of contact per role).
    #[serde(default)]
    pub instances: Vec<Instance>,
    /// Answers to this question are exported to a file of their own (points of contact).
    #[serde(default)]
    pub separate: bool,
    /// Ids this question had in earlier versions of the spec: answers stored or imported
    /// under them are taken as answers to this question.
    #[serde(default)]
    pub renamed_from: Vec<Spanned<String>>,
}

impl Question {
    /// The number to print: `number` when given, else the id.
    pub fn printed_number(&self) -> &str {
        self.number.as_deref().unwrap_or(self.id.get_ref())
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instance {
    pub id: String,
    pub label: String,
}

/// `{ if = ["yes"], goto = "1.2" }`: the target shows only when the answer is one of the
/// values. `continue_to` only says where to go next and hides nothing.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Branch {
    #[serde(rename = "if")]
    pub when: Spanned<Vec<String>>,
    #[serde(default)]
    pub goto: Option<Spanned<String>>,
    #[serde(default)]
    pub continue_to: Option<Spanned<String>>,
}
