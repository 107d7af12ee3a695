//! `init`: writes a minimal handbook (one report, one question, the default theme) that
//! builds as it is.

use std::path::Path;

use anyhow::{bail, Context, Result};

/// The default theme, compiled into the binary so `init` works anywhere.
const THEME: &[(&str, &str)] = &[
    ("templates/base.html", include_str!("../themes/default/templates/base.html")),
    ("templates/macros.html", include_str!("../themes/default/templates/macros.html")),
    ("templates/index.html", include_str!("../themes/default/templates/index.html")),
    ("templates/reports.html", include_str!("../themes/default/templates/reports.html")),
    ("templates/report.html", include_str!("../themes/default/templates/report.html")),
    ("templates/404.html", include_str!("../themes/default/templates/404.html")),
    ("templates/survey.html", include_str!("../themes/default/templates/survey.html")),
    ("templates/instructions.html", include_str!("../themes/default/templates/instructions.html")),
    ("templates/part.html", include_str!("../themes/default/templates/part.html")),
    ("templates/section.html", include_str!("../themes/default/templates/section.html")),
    ("templates/review.html", include_str!("../themes/default/templates/review.html")),
    ("templates/review-macros.html", include_str!("../themes/default/templates/review-macros.html")),
    ("templates/submission.html", include_str!("../themes/default/templates/submission.html")),
    ("templates/merge.html", include_str!("../themes/default/templates/merge.html")),
    ("templates/compare.html", include_str!("../themes/default/templates/compare.html")),
    ("templates/merge-macros.html", include_str!("../themes/default/templates/merge-macros.html")),
    ("static/style.css", include_str!("../themes/default/static/style.css")),
    ("static/form.js", include_str!("../themes/default/static/form.js")),
    ("static/form/dom.js", include_str!("../themes/default/static/form/dom.js")),
    ("static/form/schema.js", include_str!("../themes/default/static/form/schema.js")),
    ("static/form/branching.js", include_str!("../themes/default/static/form/branching.js")),
    ("static/form/storage.js", include_str!("../themes/default/static/form/storage.js")),
    ("static/form/limits.js", include_str!("../themes/default/static/form/limits.js")),
    ("static/form/controls.js", include_str!("../themes/default/static/form/controls.js")),
    ("static/form/errors.js", include_str!("../themes/default/static/form/errors.js")),
    ("static/form/file.js", include_str!("../themes/default/static/form/file.js")),
    ("static/form/print.js", include_str!("../themes/default/static/form/print.js")),
    ("static/print.css", include_str!("../themes/default/static/print.css")),
    ("static/review.js", include_str!("../themes/default/static/review.js")),
    ("static/review.css", include_str!("../themes/default/static/review.css")),
    ("static/submission.js", include_str!("../themes/default/static/submission.js")),
    ("static/submission.css", include_str!("../themes/default/static/submission.css")),
    ("static/merge.js", include_str!("../themes/default/static/merge.js")),
    ("static/merge.css", include_str!("../themes/default/static/merge.css")),
    ("static/search.js", include_str!("../themes/default/static/search.js")),
    ("static/search.css", include_str!("../themes/default/static/search.css")),
    ("static/search-icon.svg", include_str!("../themes/default/static/search-icon.svg")),
    ("static/favicon.svg", include_str!("../themes/default/static/favicon.svg")),
];

const SITE_TOML: &str = r#"title = "My handbook"
description = "A reference handbook with guidance."
language = "en"
base_path = "/"
theme = "default"
output_dir = "public"
"#;

const REPORT: &str = r#"+++
id = "example"
symbol = "A/1/1"
title = "An example report"
short_title = "Example report"
date = "2024-01-31"
paragraphs = ["1-2"]

[references]
paragraphs = "example"
+++

## I. Introduction

1. Numbered paragraphs keep their numbers; each gets an anchor and a permalink.[^1]

2. References such as paragraph 1 become links. Lettered sub-items are indented:

    (a) the first item;

    (b) the second item.

[^1]: Footnotes belong to the paragraph that cites them.
"#;

const SURVEY: &str = r#"id = "example-survey"
title = "Survey on the example report"
version = 1
parts = ["part-one"]
instructions = "Answer what applies to your government. No question is mandatory."

[option_sets.yes-no]
options = [
  { value = "yes", label = "Yes" },
  { value = "no", label = "No" },
]
"#;

const PART: &str = r#"id = "part-one"
number = "I"
title = "Part One: Acting on the report"
short_title = "Acting on the report"

[[extracts]]
title = "Extract from the example report"
paragraphs = ["example:1-2"]

[[sections]]
id = "measures"
title = "Measures taken"

[[sections.questions]]
id = "1.1"
text = "Has your government acted on [[example:2|paragraph 2]] of the example report?"
type = "single"
options = "yes-no"
"#;

/// What to run next, for a handbook created in `dir` by a normbook that runs as `program`.
pub fn next_steps(dir: &Path, program: &str) -> String {
    let dir = dir.display();
    format!(
        "Created a new handbook in {dir}.\n\
         Serve it while you edit:  {program} serve --root {dir}\n\
         Build it for hosting:     {program} build --root {dir}\n\
         A walkthrough (add a report, a question, a citation): docs/walkthrough.md in normbook's repository."
    )
}

/// How to run the normbook that is running: `normbook` when that name on the PATH finds
/// this very program; otherwise its path (say, `target/release/normbook` after `cargo run`).
pub fn program_name() -> String {
    let Ok(exe) = std::env::current_exe() else { return "normbook".into() };
    let path = std::env::var_os("PATH").unwrap_or_default();
    if found_on_path(&exe, &path) {
        return "normbook".into();
    }
    let cwd = std::env::current_dir().unwrap_or_default();
    exe.strip_prefix(&cwd).unwrap_or(&exe).display().to_string()
}

/// Whether the first `normbook` that `path` (a PATH value) finds is `exe`.
fn found_on_path(exe: &Path, path: &std::ffi::OsStr) -> bool {
    let same = |candidate: &Path| match (candidate.canonicalize(), exe.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    let name = exe.file_name().unwrap_or_else(|| "normbook".as_ref());
    std::env::split_paths(path)
        .filter(|dir| !dir.as_os_str().is_empty())
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
        .is_some_and(|found| same(&found))
}

/// Creates `dir` with a site.toml, one report, a one-question survey and the default theme.
pub fn init(dir: &Path) -> Result<()> {
    if dir.join("site.toml").exists() {
        bail!("{} already holds a handbook (site.toml exists)", dir.display());
    }
    let mut files: Vec<(String, &str)> = vec![
        ("site.toml".into(), SITE_TOML),
        ("content/example.md".into(), REPORT),
        ("survey-spec/survey.toml".into(), SURVEY),
        ("survey-spec/part-one.toml".into(), PART),
    ];
    files.extend(THEME.iter().map(|(path, text)| (format!("themes/default/{path}"), *text)));
    for (path, text) in files {
        let path = dir.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    std::fs::create_dir_all(dir.join("static")).context("cannot create static/")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_steps_use_the_program_as_it_can_be_run() {
        let text = next_steps(Path::new("my-handbook"), "target/release/normbook");
        assert!(text.contains("target/release/normbook serve --root my-handbook"), "{text}");
        assert!(text.contains("target/release/normbook build --root my-handbook"), "{text}");
    }

    #[test]
    fn the_program_is_found_on_the_path_only_when_the_path_leads_to_it() {
        let bin = tempfile::tempdir().unwrap();
        let other = tempfile::tempdir().unwrap();
        let exe = bin.path().join("normbook");
        std::fs::write(&exe, "").unwrap();
        std::fs::write(other.path().join("normbook"), "").unwrap();
        let path = |dirs: &[&Path]| std::env::join_paths(dirs).unwrap();
        assert!(found_on_path(&exe, &path(&[bin.path()])));
        // Another normbook comes first: the name would run that one.
        assert!(!found_on_path(&exe, &path(&[other.path(), bin.path()])));
        assert!(!found_on_path(&exe, &path(&[other.path()])));
        assert!(!found_on_path(&exe, &path(&[])));
    }
}
