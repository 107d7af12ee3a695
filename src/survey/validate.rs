//! Checks a loaded survey: unique ids, known option and field sets, branches that point
//! forward to existing questions with real option values, no question that can never be
//! shown, old ids (`renamed_from`) that lead to one question each, and paragraph
//! references that resolve against the content library, and a `[submission]` that
//! follows real questions and sends to a real address.
//! Every problem is reported, each at its file and line.

use std::collections::{HashMap, HashSet};

use toml::Spanned;

use super::spec::{Field, FieldsRef, Kind, OptionsRef, Section};
use super::{Part, Placed, Survey};
use crate::content::Library;
use crate::error::Diagnostic;

/// Takes `survey/<id>.html` for `owner`, or reports whose page that already is.
fn claim_page<'s>(
    pages: &mut HashMap<&'s str, String>,
    id: &'s Spanned<String>,
    owner: String,
    part: &Part,
    problems: &mut Vec<Diagnostic>,
) {
    match pages.get(id.get_ref().as_str()) {
        Some(first) => {
            let msg = format!("id `{}` would make survey/{}.html, the page of {first}: choose another", id.get_ref(), id.get_ref());
            problems.push(part.source.error(id.span(), msg));
        }
        None => {
            pages.insert(id.get_ref(), owner);
        }
    }
}

pub fn validate(survey: &Survey, lib: &Library) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    check_sets(survey, &mut problems);
    let questions: Vec<Placed> = survey.questions().collect();
    let mut ids: HashMap<&str, Placed> = HashMap::new();
    let mut sections: HashMap<&str, &Part> = HashMap::new();
    let mut parts: HashSet<&str> = HashSet::new();
    // Parts and sections with a page of their own are written to `survey/<id>.html`.
    let mut pages: HashMap<&str, String> =
        HashMap::from([("index", "the whole survey".to_string()), ("instructions", "the instructions".to_string())]);
    for part in &survey.parts {
        if !parts.insert(part.spec.id.get_ref()) {
            problems.push(part.source.error(part.spec.id.span(), format!("part id `{}` is used twice", part.spec.id.get_ref())));
        } else {
            claim_page(&mut pages, &part.spec.id, format!("part `{}`", part.spec.id.get_ref()), part, &mut problems);
        }
        for extract in &part.spec.extracts {
            check_refs(part, &extract.paragraphs, lib, &mut problems);
        }
        for section in &part.spec.sections {
            if let Some(first) = sections.insert(section.id.get_ref(), part) {
                let msg = format!("section id `{}` is already used in {}", section.id.get_ref(), first.source.path.display());
                problems.push(part.source.error(section.id.span(), msg));
            } else if section.page {
                claim_page(&mut pages, &section.id, format!("section `{}`", section.id.get_ref()), part, &mut problems);
            }
            check_section_refs(part, section, lib, &mut problems);
        }
    }
    for placed in &questions {
        let q = placed.question;
        if let Some(first) = ids.insert(q.id.get_ref(), *placed) {
            let at = place_of(&first);
            problems.push(placed.part.source.error(q.id.span(), format!("question id `{}` is already used at {at}", q.id.get_ref())));
        }
        check_question(survey, placed, &mut problems);
    }
    check_branches(survey, &questions, &ids, &mut problems);
    check_renames(&questions, &ids, &mut problems);
    super::submission::check(survey, &ids, &mut problems);
    problems
}

/// Where a question's id is written: `survey-spec/norms.toml:12`.
fn place_of(placed: &Placed) -> String {
    format!("{}:{}", placed.part.source.path.display(), placed.part.source.line(placed.question.id.span()))
}

/// Each old id in `renamed_from` is no question of this spec, and leads to one question
/// only: a stored answer under it must have exactly one place to go.
fn check_renames(questions: &[Placed], ids: &HashMap<&str, Placed>, problems: &mut Vec<Diagnostic>) {
    let mut taken: HashMap<&str, &Placed> = HashMap::new();
    for placed in questions {
        let q = placed.question;
        for old in &q.renamed_from {
            let name = old.get_ref().as_str();
            let message = if name == q.id.get_ref() {
                format!("question {}: `renamed_from` lists the question's own id", q.id.get_ref())
            } else if let Some(current) = ids.get(name) {
                format!(
                    "question {}: `renamed_from` names `{name}`, a question of this spec (at {}): a renamed question's old id cannot be in use",
                    q.id.get_ref(),
                    place_of(current)
                )
            } else if let Some(first) = taken.insert(name, placed) {
                format!(
                    "question {}: `{name}` was already renamed to {} (at {}): an old id can lead to one question only",
                    q.id.get_ref(),
                    first.question.id.get_ref(),
                    place_of(first)
                )
            } else {
                continue;
            };
            problems.push(placed.part.source.error(old.span(), message));
        }
    }
}

fn check_sets(survey: &Survey, problems: &mut Vec<Diagnostic>) {
    let source = &survey.source;
    for (name, set) in &survey.spec.option_sets {
        let mut seen = HashSet::new();
        for choice in &set.options {
            if !seen.insert(&choice.value) {
                let header = format!("option_sets.{name}]");
                problems.push(source.error_at_text(&header, format!("option set `{name}` has the value `{}` twice", choice.value)));
            }
        }
    }
    for (name, set) in &survey.spec.field_sets {
        let header = format!("field_sets.{name}]");
        for field in &set.fields {
            let what = format!("field set `{name}`, field `{}`", field.id);
            if let Some(message) = field_problem(survey, field, &what) {
                problems.push(source.error_at_text(&header, message));
            }
        }
    }
}

/// What is wrong with a group's field, if anything.
fn field_problem(survey: &Survey, field: &Field, what: &str) -> Option<String> {
    if field.kind == Kind::Group {
        return Some(format!("{what}: a field cannot be a group"));
    }
    options_problem(survey, field.kind, field.options.as_ref(), what)
}

/// Choice questions need options from a known set; other kinds take none.
fn options_problem(survey: &Survey, kind: Kind, options: Option<&OptionsRef>, what: &str) -> Option<String> {
    match (kind.has_options(), options) {
        (true, None) => Some(format!("{what} is a {} question without `options`", kind_name(kind))),
        (false, Some(_)) => Some(format!("{what}: only single and multiple choice questions take `options`")),
        (true, Some(OptionsRef::Set(name))) if !survey.spec.option_sets.contains_key(name) => {
            Some(format!("{what}: unknown option set `{name}`"))
        }
        _ => None,
    }
}

fn check_question(survey: &Survey, placed: &Placed, problems: &mut Vec<Diagnostic>) {
    let q = placed.question;
    let source = &placed.part.source;
    let what = format!("question {}", q.id.get_ref());
    let at_id = |message: String| source.error(q.id.span(), message);
    if let Some(message) = options_problem(survey, q.kind, q.options.as_ref().map(|o| o.get_ref()), &what) {
        let span = q.options.as_ref().map_or(q.id.span(), |o| o.span());
        problems.push(source.error(span, message));
    }
    match (q.kind, &q.fields) {
        (Kind::Group, None) => problems.push(at_id(format!("{what} is a group without `fields`"))),
        (Kind::Group, Some(fields)) => match fields.get_ref() {
            FieldsRef::Set(name) if !survey.spec.field_sets.contains_key(name) => {
                problems.push(source.error(fields.span(), format!("{what}: unknown field set `{name}`")));
            }
            FieldsRef::Inline(inline) => {
                for field in inline {
                    if let Some(message) = field_problem(survey, field, &format!("{what}, field `{}`", field.id)) {
                        problems.push(source.error(fields.span(), message));
                    }
                }
            }
            FieldsRef::Set(_) => {}
        },
        (_, Some(fields)) => problems.push(source.error(fields.span(), format!("{what}: only groups take `fields`"))),
        (_, None) => {}
    }
    if q.kind != Kind::Group && (q.repeat || !q.instances.is_empty()) {
        problems.push(at_id(format!("{what}: only groups take `repeat` and `instances`")));
    }
    if q.word_limit.is_some() && q.kind != Kind::Text {
        problems.push(at_id(format!("{what}: only text questions take `word_limit`")));
    }
    if !q.branch.is_empty() && q.kind != Kind::Single {
        problems.push(at_id(format!("{what}: only single choice questions can branch")));
    }
    let mut instances = HashSet::new();
    for instance in &q.instances {
        if !instances.insert(&instance.id) {
            problems.push(at_id(format!("{what}: instance `{}` appears twice", instance.id)));
        }
    }
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Single => "single choice",
        Kind::Multiple => "multiple choice",
        _ => "plain",
    }
}

/// Branch targets exist and lie ahead; values are options; every question can be shown.
fn check_branches(survey: &Survey, questions: &[Placed], ids: &HashMap<&str, Placed>, problems: &mut Vec<Diagnostic>) {
    // For each gated question: the branches leading to it, as (source order, can it hold).
    let mut gates: HashMap<&str, Vec<(usize, bool)>> = HashMap::new();
    for placed in questions {
        let q = placed.question;
        let source = &placed.part.source;
        let values: Vec<&str> =
            survey.options(q.options.as_ref().map(|o| o.get_ref())).unwrap_or_default().iter().map(|c| c.value.as_str()).collect();
        let mut used: HashSet<&str> = HashSet::new();
        for branch in &q.branch {
            let when = branch.when.get_ref();
            if when.is_empty() {
                problems.push(
                    source.error(branch.when.span(), format!("question {}: a branch needs at least one value in `if`", q.id.get_ref())),
                );
            }
            for value in when {
                if !values.is_empty() && !values.contains(&value.as_str()) {
                    let msg = format!("question {}: `{value}` is not one of its options ({})", q.id.get_ref(), values.join(", "));
                    problems.push(source.error(branch.when.span(), msg));
                } else if !used.insert(value) {
                    problems.push(source.error(branch.when.span(), format!("question {}: `{value}` has two branches", q.id.get_ref())));
                }
            }
            let targets = [(&branch.goto, true), (&branch.continue_to, false)];
            let given: Vec<_> = targets.iter().filter_map(|(t, gated)| t.as_ref().map(|t| (t, *gated))).collect();
            if given.len() != 1 {
                problems.push(source.error(
                    branch.when.span(),
                    format!("question {}: a branch needs exactly one of `goto` and `continue_to`", q.id.get_ref()),
                ));
            }
            for (target, gated) in given {
                let Some(dest) = ids.get(target.get_ref().as_str()) else {
                    problems.push(source.error(
                        target.span(),
                        format!("question {}: branch to `{}`, which is not a question", q.id.get_ref(), target.get_ref()),
                    ));
                    continue;
                };
                if dest.order <= placed.order {
                    let msg = format!(
                        "question {}: branch back to {} would make a cycle; branches must go forward",
                        q.id.get_ref(),
                        target.get_ref()
                    );
                    problems.push(source.error(target.span(), msg));
                } else if gated {
                    let can_hold = when.iter().any(|v| values.contains(&v.as_str()));
                    gates.entry(dest.question.id.get_ref()).or_default().push((placed.order, can_hold));
                }
            }
        }
    }
    // In survey order, a gated question can be shown when a shown question leads to it.
    let mut shown = vec![true; questions.len()];
    for placed in questions {
        if let Some(sources) = gates.get(placed.question.id.get_ref().as_str()) {
            shown[placed.order] = sources.iter().any(|(from, can_hold)| *can_hold && shown[*from]);
            if !shown[placed.order] {
                let msg = format!("question {} can never be shown: no branch to it can hold (each starts from a question never shown, or names no valid option)", placed.question.id.get_ref());
                problems.push(placed.part.source.error(placed.question.id.span(), msg));
            }
        }
    }
}

fn check_refs(part: &Part, refs: &[Spanned<String>], lib: &Library, problems: &mut Vec<Diagnostic>) {
    for reference in refs {
        if let Err(message) = lib.resolve(reference.get_ref()) {
            problems.push(part.source.error(reference.span(), message));
        }
    }
}

fn check_section_refs(part: &Part, section: &Section, lib: &Library, problems: &mut Vec<Diagnostic>) {
    check_refs(part, &section.statement, lib, problems);
    check_refs(part, &section.guidance, lib, problems);
    check_refs(part, &section.related, lib, problems);
    check_refs(part, section.heading.as_slice(), lib, problems);
    for extract in &section.extracts {
        check_refs(part, &extract.paragraphs, lib, problems);
    }
}
