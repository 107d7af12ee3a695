//! Front matter: splits a content file into its `+++` TOML header and Markdown body.

use std::collections::BTreeMap;
use std::ops::RangeInclusive;

use serde::Deserialize;

/// A file cut in two, with the line each part starts on.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    pub front_matter: &'a str,
    pub front_matter_line: usize,
    pub body: &'a str,
    pub body_line: usize,
}

/// Cuts `text` at its `+++` fences. The error says what is missing; the caller adds the file.
pub fn split(text: &str) -> Result<Split<'_>, &'static str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let rest = match text.strip_prefix("+++\n").or_else(|| text.strip_prefix("+++\r\n")) {
        Some(rest) => rest,
        None => return Err("missing front matter: the file must start with a line `+++`"),
    };
    let mut offset = 0;
    for (index, line) in rest.split_inclusive('\n').enumerate() {
        if line.trim_end() == "+++" {
            return Ok(Split {
                front_matter: &rest[..offset],
                front_matter_line: 2,
                body: &rest[offset + line.len()..],
                body_line: index + 3,
            });
        }
        offset += line.len();
    }
    Err("front matter is not closed: add a line `+++` after it")
}

/// What a content file says about its document.
#[derive(Debug, Clone, Hash, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    /// Document id, the part of a paragraph id before the colon (`gge-2021`).
    pub id: String,
    /// Document symbol (`A/76/135`); where a text names it, it becomes a link.
    #[serde(default)]
    pub symbol: Option<String>,
    pub title: String,
    /// Short name for navigation, citations and search filters.
    #[serde(default)]
    pub short_title: Option<String>,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub date: Option<String>,
    /// Position in the list of documents.
    #[serde(default)]
    pub order: i64,
    /// True when only some of the document's paragraphs are given.
    #[serde(default)]
    pub extract: bool,
    /// The numbered paragraphs the file holds: numbers or ranges (`"1-98"`).
    #[serde(default)]
    pub paragraphs: Vec<String>,
    #[serde(default)]
    pub references: ReferenceScopes,
}

/// Which documents unqualified references in this file mean.
#[derive(Debug, Clone, Default, Hash, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferenceScopes {
    /// The document a bare "paragraph N" means.
    #[serde(default)]
    pub paragraphs: Option<String>,
    /// A word and the paragraph whose sub-items it names: `norm = "gge-2015:13"` makes
    /// "norm 13 (k)" and "norms (g) and (h)" links to `gge-2015:13-k`, `13-g`, `13-h`.
    #[serde(default)]
    pub named: BTreeMap<String, String>,
}

/// The paragraph numbers `paragraphs = ["1-98", "101"]` lists, as ranges: never expanded,
/// since a range may be written as large as "1-4294967295".
pub fn parse_ranges(ranges: &[String]) -> Result<Vec<RangeInclusive<u32>>, String> {
    ranges
        .iter()
        .map(|range| {
            let parse = |s: &str| s.trim().parse::<u32>().map_err(|_| format!("`{range}` is not a number or a range like \"1-98\""));
            match range.split_once('-') {
                Some((from, to)) => {
                    let (from, to) = (parse(from)?, parse(to)?);
                    if from > to {
                        return Err(format!("range `{range}` runs backwards"));
                    }
                    Ok(from..=to)
                }
                None => parse(range).map(|n| n..=n),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_table() {
        type Want<'a> = Result<(&'a str, &'a str, usize), &'a str>;
        let cases: &[(&str, Want)] = &[
            ("+++\nid = \"x\"\n+++\nbody\n", Ok(("id = \"x\"\n", "body\n", 4))),
            ("+++\r\na = 1\r\n+++\r\nbody", Ok(("a = 1\r\n", "body", 4))),
            ("+++\n+++\n", Ok(("", "", 3))),
            ("\u{feff}+++\na = 1\n\n+++\n\n# H\n", Ok(("a = 1\n\n", "\n# H\n", 5))),
            ("id = 1\n", Err("missing front matter: the file must start with a line `+++`")),
            ("+++\nid = 1\n", Err("front matter is not closed: add a line `+++` after it")),
        ];
        for (text, want) in cases {
            let got = split(text).map(|s| (s.front_matter, s.body, s.body_line));
            assert_eq!(&got, want, "for {text:?}");
        }
    }

    #[test]
    fn ranges_expand_and_reject_nonsense() {
        assert_eq!(parse_ranges(&["1-3".into(), "7".into()]).unwrap(), vec![1..=3, 7..=7]);
        assert_eq!(parse_ranges(&["1-4294967295".into()]).unwrap(), vec![1..=u32::MAX]);
        assert_eq!(parse_ranges(&["5-2".into()]).unwrap_err(), "range `5-2` runs backwards");
        assert!(parse_ranges(&["a".into()]).is_err());
    }
}
