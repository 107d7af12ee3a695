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
    ("templates/merge.html", include_str!("../themes/default/templates/merge.html")),
    ("templates/compare.html", include_str!("../themes/default/templates/compare.html")),
    ("templates/merge-macros.html", include_str!("../themes/default/templates/merge-macros.html")),
    ("static/style.css", include_str!("../themes/default/static/style.css")),
    ("static/form.js", include_str!("../themes/default/static/form.js")),
    ("static/print.css", include_str!("../themes/default/static/print.css")),
    ("static/review.js", include_str!("../themes/default/static/review.js")),
    ("static/review.css", include_str!("../themes/default/static/review.css")),
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

const SURVEY: &str = r#"id = "my-survey"
title = "My survey"
version = 1
parts = ["part-one"]
instructions = "There are no mandatory questions."

[option_sets.yes-no]
options = [
  { value = "yes", label = "Yes" },
  { value = "no", label = "No" },
]
"#;

const PART: &str = r#"id = "part-one"
number = "I"
title = "Part One"
short_title = "Introduction"

[[extracts]]
title = "Extract from the example report"
paragraphs = ["example:1-2"]

[[sections]]
id = "introduction"
title = "Introduction"

[[sections.questions]]
id = "1.1"
text = "Has your government acted on paragraph 2?"
type = "single"
options = "yes-no"
"#;

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
