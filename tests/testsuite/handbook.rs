//! The shipped handbook: the texts are complete and the survey spec matches the survey.

use normbook::content::paragraph::Block;
use normbook::content::xref::Resolved;
use normbook::content::{self, Library};
use normbook::survey::{self, Survey};

use crate::common::repo;

fn load() -> (Library, Survey) {
    let mut problems = Vec::new();
    let (docs, load_problems) = content::load(&repo());
    problems.extend(load_problems);
    let lib = Library::new(docs, &mut problems);
    let survey = survey::load(&repo(), &mut problems).expect("the handbook has a survey");
    problems.extend(survey::validate::validate(&survey, &lib));
    assert!(problems.is_empty(), "{problems:?}");
    (lib, survey)
}

fn numbers(from: u32, to: u32) -> Vec<String> {
    (from..=to).map(|n| n.to_string()).collect()
}

#[test]
fn every_paragraph_of_each_report_is_present_once_in_order() {
    let (lib, _) = load();
    let expected: [(&str, Vec<String>); 3] = [
        ("gge-2021", numbers(1, 98)),
        ("gge-2015", [numbers(9, 13), numbers(16, 29)].concat()),
        ("oewg-2021", [numbers(24, 32), numbers(34, 67)].concat()),
    ];
    for (id, want) in expected {
        let doc = &lib.docs[lib.doc_index(id).unwrap()];
        let got: Vec<String> = doc.paragraphs().map(|p| p.key.clone()).collect();
        assert_eq!(got, want, "{id}");
    }
    // The eleven norms of A/70/174 are the sub-items (a)-(k) of its paragraph 13.
    for letter in 'a'..='k' {
        assert!(lib.target(&format!("gge-2015:13-{letter}")).is_some(), "norm 13 ({letter})");
    }
}

#[test]
fn the_spec_holds_every_numbered_question_of_the_survey() {
    let (_, survey) = load();
    let mut want: Vec<String> = ["1.1", "1.2", "1.3", "1.4"].map(String::from).to_vec();
    for part in 2..=12 {
        want.extend((1..=3).map(|q| format!("{part}.{q}")));
    }
    want.extend(["13.1", "13.2", "13.3", "13.4", "13.5", "14.1", "14.2"].map(String::from));
    let got: Vec<String> = survey.questions().map(|p| p.question.id.get_ref().clone()).filter(|id| id.contains('.')).collect();
    assert_eq!(got, want);
}

#[test]
fn each_norm_points_to_its_own_guidance_in_the_2021_report() {
    let (lib, survey) = load();
    let gge = &lib.docs[lib.doc_index("gge-2021").unwrap()];
    // Paragraphs under each "Norm 13 (x)" heading of the 2021 report, read from the text.
    let mut under_heading: Vec<(String, Vec<String>)> = Vec::new();
    for block in &gge.body.blocks {
        match block {
            Block::Heading(h) if h.key.starts_with("norm-13-") => under_heading.push((h.key.clone(), Vec::new())),
            Block::Heading(_) => under_heading.push((String::new(), Vec::new())),
            Block::Paragraph(p) => {
                if let Some((_, list)) = under_heading.last_mut() {
                    list.push(p.key.clone());
                }
            }
            Block::Prose { .. } => {}
        }
    }
    let norms: Vec<_> = survey.parts.iter().flat_map(|p| &p.spec.sections).filter(|s| s.id.get_ref().starts_with("norm-")).collect();
    assert_eq!(norms.len(), 11);
    for (section, letter) in norms.iter().zip('a'..='k') {
        let heading = format!("norm-13-{letter}");
        assert_eq!(section.heading.as_ref().map(|h| h.get_ref().as_str()), Some(format!("gge-2021:{heading}").as_str()));
        assert_eq!(section.statement.iter().map(|s| s.get_ref().as_str()).collect::<Vec<_>>(), [format!("gge-2015:13-{letter}")]);
        let mut guidance = Vec::new();
        for reference in &section.guidance {
            let Ok(Resolved::Nodes(nodes)) = lib.resolve(reference.get_ref()) else { panic!("{}", reference.get_ref()) };
            guidance.extend(nodes.iter().map(|&n| lib.target_at(n).key.to_string()));
        }
        let expected = &under_heading.iter().find(|(key, _)| *key == heading).unwrap().1;
        assert_eq!(&guidance, expected, "norm ({letter})");
    }
}

#[test]
fn branching_follows_the_survey() {
    let (_, survey) = load();
    let branches = |id: &str| -> Vec<(Vec<String>, String)> {
        let q = survey.questions().find(|p| p.question.id.get_ref() == id).unwrap().question;
        q.branch.iter().filter_map(|b| Some((b.when.get_ref().clone(), b.goto.as_ref()?.get_ref().clone()))).collect()
    };
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(branches("1.1"), [(s(&["yes"]), "1.2".into()), (s(&["in-progress"]), "1.3".into()), (s(&["no"]), "1.4".into())]);
    for part in 2..=13 {
        let mut got = branches(&format!("{part}.1"));
        got.sort();
        assert_eq!(got, [(s(&["no"]), format!("{part}.3")), (s(&["yes", "under-consideration"]), format!("{part}.2"))], "{part}.1");
    }
    assert_eq!(branches("13.4"), [(s(&["yes"]), "13.5".into())]);
    assert_eq!(branches("14.1"), [(s(&["yes"]), "14.2".into())]);
}

#[test]
fn the_six_challenge_barriers_are_defined_once_and_reused() {
    let (_, survey) = load();
    assert_eq!(survey.spec.option_sets["challenges"].options.len(), 6);
    let users: Vec<String> = survey
        .questions()
        .filter(|p| matches!(p.question.options.as_ref().map(|o| o.get_ref()), Some(survey::spec::OptionsRef::Set(name)) if name == "challenges"))
        .map(|p| p.question.id.get_ref().clone())
        .collect();
    let mut want = vec!["1.4".to_string()];
    want.extend((2..=12).map(|n| format!("{n}.3")));
    want.push("13.3".into());
    assert_eq!(users, want);
}
