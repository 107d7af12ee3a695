//! The JSON format of answers, generated from the spec: a JSON Schema for people and
//! tools, and a compact model of the questions for the browser (branching, import checks,
//! progress). Both come from the same spec, so nothing about a question is written twice.

use serde_json::{json, Map, Value};

use super::spec::{Choice, Field, Kind, Question};
use super::{dom_id, page_path, Survey};

/// The `format` field every answers file carries.
pub const FORMAT: &str = "normbook-answers";

fn values(choices: &[Choice]) -> Vec<&str> {
    choices.iter().map(|c| c.value.as_str()).collect()
}

fn plain_schema(kind: Kind, choices: &[Choice], word_limit: Option<u32>, title: &str) -> Value {
    let mut schema = match kind {
        Kind::Single => json!({ "enum": values(choices) }),
        Kind::Multiple => {
            let specify: Map<String, Value> =
                choices.iter().filter(|c| c.specify.is_some()).map(|c| (c.value.clone(), json!({ "type": "string" }))).collect();
            json!({
                "type": "object",
                "properties": {
                    "selected": { "type": "array", "items": { "enum": values(choices) }, "uniqueItems": true },
                    "specify": { "type": "object", "properties": specify, "additionalProperties": false }
                },
                "additionalProperties": false
            })
        }
        Kind::Urls | Kind::List => json!({ "type": "array", "items": { "type": "string" } }),
        Kind::Confirm => json!({ "type": "boolean" }),
        Kind::Email => json!({ "type": "string", "format": "email" }),
        Kind::Url => json!({ "type": "string" }),
        Kind::Text | Kind::Line | Kind::Tel | Kind::Group => json!({ "type": "string" }),
    };
    schema["title"] = json!(title);
    if let Some(limit) = word_limit {
        schema["description"] = json!(format!("At most {limit} words."));
    }
    schema
}

fn field_schema(survey: &Survey, field: &Field) -> Value {
    let choices = survey.options(field.options.as_ref()).unwrap_or_default();
    plain_schema(field.kind, choices, field.word_limit, &field.label)
}

/// The schema of one question's answer.
pub fn question_schema(survey: &Survey, q: &Question) -> Value {
    let title = format!("{} {}", q.printed_number(), q.text).trim().to_string();
    if q.kind != Kind::Group {
        let choices = survey.options(q.options.as_ref().map(|o| o.get_ref())).unwrap_or_default();
        return plain_schema(q.kind, choices, q.word_limit, &title);
    }
    let fields: Map<String, Value> = survey.fields(q).unwrap_or_default().iter().map(|f| (f.id.clone(), field_schema(survey, f))).collect();
    let item = json!({ "type": "object", "properties": fields, "additionalProperties": false });
    let one = if q.repeat { json!({ "type": "array", "items": item }) } else { item };
    if q.instances.is_empty() {
        let mut schema = one;
        schema["title"] = json!(title);
        return schema;
    }
    let instances: Map<String, Value> = q.instances.iter().map(|i| (i.id.clone(), one.clone())).collect();
    json!({ "title": title, "type": "object", "properties": instances, "additionalProperties": false })
}

/// A JSON Schema (draft 2020-12) of an exported answers file.
pub fn answers_schema(survey: &Survey) -> Value {
    let mut answers = Map::new();
    let mut details = Map::new();
    for placed in survey.questions() {
        let q = placed.question;
        answers.insert(q.id.get_ref().clone(), question_schema(survey, q));
        if let Some(label) = &q.details {
            details.insert(q.id.get_ref().clone(), json!({ "type": "string", "title": label }));
        }
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": format!("Answers to {}", survey.spec.title),
        "description": "An answers file exported by the handbook. `answers` holds the response: the answers to the questions that its own branching asks. Answers kept for questions that the branching skips are in `hidden`, and answers to questions this version of the survey no longer asks in `retired`; neither is part of the response. Points of contact (questions marked `separate`) are exported to a file of their own, with `contents` set to \"separate\".",
        "type": "object",
        "required": ["format", "survey", "version", "contents", "answers"],
        "properties": {
            "format": { "const": FORMAT },
            "survey": { "const": survey.spec.id },
            "version": { "type": "integer", "description": "The spec version the answers were given to." },
            "exported": { "type": "string", "format": "date-time" },
            "prepared_by": { "type": "string", "description": "Who prepared these answers: a ministry or office, as typed." },
            "contents": { "enum": ["answers", "separate"] },
            "answers": {
                "description": "The response: one answer per question that the branching of these answers asks, keyed by question id.",
                "type": "object", "properties": answers, "additionalProperties": false
            },
            "details": {
                "description": "The text of the details field of the questions in `answers`.",
                "type": "object", "properties": details, "additionalProperties": false
            },
            "hidden": hidden_schema(),
            "retired": retired_schema(),
            "merged_from": merged_from_schema(),
            "sources": sources_schema()
        },
        "additionalProperties": false
    })
}

/// The files a merged file was made from (the merge page writes it): one entry per file,
/// named as `sources` names it.
fn merged_from_schema() -> Value {
    json!({
        "type": "array",
        "description": "Present when the file was made by merging answers files (the drafts of several ministries): one entry per file merged, in the order they were given. `source` is the name `sources` gives the file: its `prepared_by`, or else its file name.",
        "items": {
            "type": "object",
            "required": ["source", "file"],
            "properties": {
                "source": { "type": "string", "description": "The file's name in `sources`: who prepared it, or its file name." },
                "file": { "type": "string", "description": "The name of the file as it was merged." },
                "prepared_by": { "type": "string", "description": "The file's own `prepared_by`, if it had one." },
                "exported": { "type": "string", "format": "date-time", "description": "The file's own `exported`, if it had one." }
            },
            "additionalProperties": false
        }
    })
}

/// For a merged file, where each answer came from.
fn sources_schema() -> Value {
    json!({
        "type": "object",
        "description": "Present when the file was made by merging answers files: for each answer in `answers` or `hidden` (keyed by question id, as they are) and each details text (keyed `<id>/details`), the files it came from, by their `source` in `merged_from`. An answer that several files gave alike lists them all; an answer the coordinator wrote from several lists every file whose answer it draws on. For a question asked once per role or category (points of contact), the key is `<id>/<instance>`, as each role is merged apart.",
        "additionalProperties": {
            "type": "array",
            "items": { "type": "string" },
            "minItems": 1
        },
        "examples": [{ "3.1": ["Ministry of Defence", "National CERT"], "13.5/technical": ["National CERT"] }]
    })
}

/// Answers kept for questions that the branching skips (3.3 answered, then 3.1 changed so
/// that 3.3 is no longer asked): of the same shape as the response's, kept so that a
/// changed mind brings them back, never part of the response.
fn hidden_schema() -> Value {
    json!({
        "type": "object",
        "description": "Answers kept for questions that the branching of `answers` skips (for example 3.3, \"answer if 3.1 is No\", when 3.1 is Yes), with the same shape as `answers` and `details`. Not part of the response: kept so that nothing typed is lost, and given back to those questions if the branching asks them again.",
        "properties": {
            "answers": { "$ref": "#/properties/answers" },
            "details": { "$ref": "#/properties/details" }
        },
        "additionalProperties": false
    })
}

/// Answers kept for questions that the spec no longer asks (removed, or changed so that
/// the answer no longer fits), by the id they were given under: kept until the user
/// deletes them, never taken as answers to the current questions.
fn retired_schema() -> Value {
    json!({
        "type": "object",
        "description": "Answers to questions this version of the survey no longer asks, by the question id they were given under, with the same shape as `answers` and `details`. Kept so that nothing typed is lost; not answers to the current questions.",
        "properties": {
            "answers": { "type": "object" },
            "details": { "type": "object", "additionalProperties": { "type": "string" } }
        },
        "additionalProperties": false
    })
}

/// Each option's label by its value, for answers shown in reading form.
fn labels(choices: &[Choice]) -> Map<String, Value> {
    choices.iter().map(|c| (c.value.clone(), json!(c.label))).collect()
}

fn field_model(survey: &Survey, field: &Field) -> Value {
    let choices = survey.options(field.options.as_ref()).unwrap_or_default();
    json!({
        "id": field.id,
        "kind": field.kind,
        "label": field.label,
        "limit": field.word_limit,
        "options": values(choices),
        "labels": labels(choices),
    })
}

/// What the browser needs to know of the questions.
pub fn client_model(survey: &Survey) -> Value {
    let mut questions = Map::new();
    let mut gates: Map<String, Value> = Map::new();
    // Old ids (`renamed_from`) to the question that now takes their answers.
    let mut renamed = Map::new();
    for placed in survey.questions() {
        let q = placed.question;
        let fields: Vec<Value> = survey.fields(q).unwrap_or_default().iter().map(|f| field_model(survey, f)).collect();
        let choices = survey.options(q.options.as_ref().map(|o| o.get_ref())).unwrap_or_default();
        questions.insert(
            q.id.get_ref().clone(),
            json!({
                "kind": q.kind,
                "part": placed.part.spec.id.get_ref(),
                "options": values(choices),
                "specify": choices.iter().filter(|c| c.specify.is_some()).map(|c| c.value.as_str()).collect::<Vec<_>>(),
                "fields": fields,
                "repeat": q.repeat,
                "instances": q.instances.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(),
                "separate": q.separate,
                "details": q.details.is_some(),
                "number": q.printed_number(),
                "href": format!("{}#{}", page_path(placed.part, placed.section), dom_id(q.id.get_ref())),
                "limit": q.word_limit,
                "labels": labels(choices),
                "item_label": q.item_label.as_deref().unwrap_or("Item"),
                "instance_labels": q.instances.iter().map(|i| (i.id.clone(), json!(i.label))).collect::<Map<String, Value>>(),
            }),
        );
        for old in &q.renamed_from {
            renamed.insert(old.get_ref().clone(), json!(q.id.get_ref()));
        }
        for branch in &q.branch {
            if let Some(target) = &branch.goto {
                let list = gates.entry(target.get_ref().clone()).or_insert_with(|| json!([]));
                list.as_array_mut().expect("array").push(json!({ "from": q.id.get_ref(), "values": branch.when.get_ref() }));
            }
        }
    }
    let parts: Vec<Value> = survey
        .parts
        .iter()
        .map(|p| {
            let ids = |questions: &[crate::survey::spec::Question]| questions.iter().map(|q| q.id.get_ref().clone()).collect::<Vec<_>>();
            let sections: Vec<Value> =
                p.spec.sections.iter().map(|s| json!({ "id": s.id.get_ref(), "questions": ids(&s.questions) })).collect();
            let all: Vec<String> = p.spec.sections.iter().flat_map(|s| ids(&s.questions)).collect();
            json!({ "id": p.spec.id.get_ref(), "questions": all, "sections": sections })
        })
        .collect();
    json!({
        "format": FORMAT,
        "id": survey.spec.id,
        "title": survey.spec.title,
        "version": survey.spec.version,
        "questions": questions,
        "order": survey.questions().map(|p| p.question.id.get_ref().as_str()).collect::<Vec<_>>(),
        "gates": gates,
        "renamed": renamed,
        "parts": parts,
    })
}
