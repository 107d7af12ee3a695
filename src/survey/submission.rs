//! The submission (`[submission]` in survey.toml): checks of its address and of the
//! questions it follows, and the `mailto:` link a page gives before its script refines it.

use std::collections::HashMap;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::spec::{Kind, SubmissionChoice};
use super::{Placed, Survey};
use crate::error::Diagnostic;

/// What a `mailto:` query value keeps as it is (RFC 6068 lets far more through, but mail
/// programs differ in what they decode: encoding the rest is safe everywhere).
const MAILTO_VALUE: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// `mailto:<email>?subject=<subject>`, the subject percent-encoded.
pub fn mailto(email: &str, subject: &str) -> String {
    format!("mailto:{email}?subject={}", utf8_percent_encode(subject, MAILTO_VALUE))
}

/// Why `address` cannot be put in a `mailto:` link as one plain address, if it cannot:
/// `name@domain.example`, without spaces, a second `@`, or characters a link would change.
pub fn address_problem(address: &str) -> Option<&'static str> {
    let Some((local, domain)) = address.split_once('@') else {
        return Some("it has no `@`");
    };
    let odd = |c: char| c.is_whitespace() || c.is_control() || "@,;:<>()[]\\\"?&#%/".contains(c);
    if local.is_empty() || local.chars().any(odd) {
        return Some("the part before `@` is empty or holds a space or one of @ , ; : < > ( ) [ ] \\ \" ? & # % /");
    }
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok =
        |l: &&str| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-') && l.chars().all(|c| c.is_alphanumeric() || c == '-');
    if labels.len() < 2 || !labels.iter().all(label_ok) {
        return Some("the part after `@` is not a domain name (such as `un.org`)");
    }
    None
}

/// Every problem of `[submission]`, at its line in survey.toml.
pub fn check(survey: &Survey, ids: &HashMap<&str, Placed>, problems: &mut Vec<Diagnostic>) {
    let Some(submission) = &survey.spec.submission else { return };
    let source = &survey.source;
    let email = &submission.email;
    if let Some(why) = address_problem(email.get_ref()) {
        problems.push(source.error(email.span(), format!("submission: `{}` is not an e-mail address: {why}", email.get_ref())));
    }
    check_choice(survey, ids, "response", &submission.response, problems);
    if let Some(separate) = &submission.separate {
        if !survey.questions().any(|p| p.question.separate) {
            let msg = "submission: `separate` is given, but no question is marked `separate = true`";
            problems.push(source.error(separate.question.span(), msg));
        }
        if separate.question.get_ref() == submission.response.question.get_ref() {
            let msg =
                format!("submission: `response` and `separate` both follow question `{}`: give each its own", separate.question.get_ref());
            problems.push(source.error(separate.question.span(), msg));
        }
        check_choice(survey, ids, "separate", separate, problems);
    }
}

/// The question exists, is single choice and not kept separate, and `now` and `later`
/// are options of it.
fn check_choice(survey: &Survey, ids: &HashMap<&str, Placed>, key: &str, choice: &SubmissionChoice, problems: &mut Vec<Diagnostic>) {
    let source = &survey.source;
    let id = choice.question.get_ref();
    let Some(placed) = ids.get(id.as_str()) else {
        problems.push(source.error(choice.question.span(), format!("submission.{key}: `{id}` is not a question")));
        return;
    };
    let q = placed.question;
    if q.kind != Kind::Single || q.separate {
        let msg = format!("submission.{key}: question `{id}` must be a single choice question, and not one kept `separate`");
        problems.push(source.error(choice.question.span(), msg));
        return;
    }
    let values: Vec<&str> =
        survey.options(q.options.as_ref().map(|o| o.get_ref())).unwrap_or_default().iter().map(|c| c.value.as_str()).collect();
    for (name, value) in [("now", Some(&choice.now)), ("later", choice.later.as_ref())] {
        let Some(value) = value else { continue };
        if !values.is_empty() && !values.contains(&value.get_ref().as_str()) {
            let msg =
                format!("submission.{key}: `{name} = \"{}\"` is not an option of question {id} ({})", value.get_ref(), values.join(", "));
            problems.push(source.error(value.span(), msg));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_one_plain_name_at_a_domain() {
        assert_eq!(address_problem("cyberpolicyportal@un.org"), None);
        assert_eq!(address_problem("first.last+survey@mail.example-ministry.gov"), None);
        assert_eq!(address_problem("cyberpolicyportal.un.org"), Some("it has no `@`"));
        assert!(address_problem("a b@un.org").is_some());
        assert!(address_problem("a@b@un.org").is_some());
        assert!(address_problem("a@un.org?cc=x@y.z").is_some());
        assert!(address_problem("a@localhost").is_some());
        assert!(address_problem("a@un..org").is_some());
        assert!(address_problem("@un.org").is_some());
    }

    #[test]
    fn a_mailto_subject_is_percent_encoded() {
        assert_eq!(mailto("a@un.org", "Survey: Part I & II"), "mailto:a@un.org?subject=Survey%3A%20Part%20I%20%26%20II");
        assert_eq!(mailto("a@un.org", "Réponse"), "mailto:a@un.org?subject=R%C3%A9ponse");
    }
}
