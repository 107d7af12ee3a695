//! The last check of a build: every internal link and anchor in the output resolves.
//! A broken one (a template's typo, a heading anchor that changed) is a build error that
//! names the page.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use regex::Regex;

use crate::error::Diagnostic;
use crate::output::OutFile;

static HREF: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"(?:href|src)="([^"]*)""#).unwrap());
static ID: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"\sid="([^"]*)""#).unwrap());

/// The value of a matched `name="value"` (a plain find is much faster than captures).
fn quoted(attribute: &str) -> &str {
    let start = attribute.find('"').map_or(0, |i| i + 1);
    &attribute[start..attribute.len() - 1]
}

/// `a/b/../c.html` from the page `a/b/x.html` and the link `../c.html`.
fn resolve(page: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for segment in link.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let path = parts.join("/");
    Some(if link.ends_with('/') || path.is_empty() { format!("{path}/index.html").trim_start_matches('/').to_string() } else { path })
}

/// Problems with the links of every HTML page of `files`; `base_path` is where absolute
/// links (the 404 page's) start.
pub fn check(files: &[OutFile], base_path: &str) -> Vec<Diagnostic> {
    check_changed(files, base_path, &HashSet::new(), &mut Seen::default())
}

/// What a links check saw: every output path, and the element ids of each HTML page.
#[derive(Default)]
pub struct Seen {
    paths: HashSet<String>,
    ids: HashMap<String, HashSet<String>>,
}

/// The same after a rebuild in `serve`: the pages in `reused` are the last good build's,
/// byte for byte, so their ids are not read again nor their links checked, unless some
/// other page's ids changed or a file has gone (then a reused page may point to something
/// that is no more, and every page is checked). `seen` holds the last good check's view
/// and is updated only when this check finds no problem.
pub fn check_changed(files: &[OutFile], base_path: &str, reused: &HashSet<String>, seen: &mut Seen) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    // Taken, not copied; after a failed check nothing is kept and the next one is complete.
    let mut previous = std::mem::take(seen);
    let html: Vec<&OutFile> = files.iter().filter(|f| f.path.ends_with(".html")).collect();
    let mut ids: HashMap<String, HashSet<String>> = HashMap::new();
    for file in html.iter().filter(|f| reused.contains(&f.path)) {
        if let Some(page_ids) = previous.ids.remove(&file.path) {
            ids.insert(file.path.clone(), page_ids);
        }
    }
    let read: Vec<(String, HashSet<String>)> = html
        .par_iter()
        .filter(|f| !ids.contains_key(&f.path))
        .map(|f| {
            let text = std::str::from_utf8(&f.bytes).unwrap_or("");
            (f.path.clone(), ID.find_iter(text).map(|m| quoted(m.as_str()).to_string()).collect())
        })
        .collect();
    let paths: HashSet<String> = files.iter().map(|f| f.path.clone()).collect();
    let mut all_pages = !previous.paths.is_subset(&paths);
    for (path, page_ids) in read {
        all_pages |= previous.ids.get(&path) != Some(&page_ids);
        ids.insert(path, page_ids);
    }
    let pages: HashMap<&str, &[u8]> = files.iter().map(|f| (f.path.as_str(), f.bytes.as_slice())).collect();
    let problems: Vec<Diagnostic> = html
        .par_iter()
        .filter(|f| all_pages || !reused.contains(&f.path))
        .flat_map_iter(|file| page_problems(file, &pages, &ids, base_path))
        .collect();
    if problems.is_empty() {
        *seen = Seen { paths, ids };
    }
    problems
}

fn page_problems(file: &OutFile, pages: &HashMap<&str, &[u8]>, ids: &HashMap<String, HashSet<String>>, base_path: &str) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    {
        let html = std::str::from_utf8(&file.bytes).unwrap_or("");
        for found in HREF.find_iter(html) {
            let link = quoted(found.as_str()).replace("&amp;", "&");
            if link.contains("://") || link.starts_with("mailto:") || link.starts_with("data:") || link.starts_with("javascript:") {
                continue;
            }
            let (target, anchor) = link.split_once('#').unwrap_or((&link, ""));
            let target = target.split('?').next().unwrap_or("");
            let path = if target.is_empty() {
                Some(file.path.clone())
            } else if let Some(absolute) = target.strip_prefix(base_path) {
                resolve("index.html", absolute)
            } else if target.starts_with('/') {
                None
            } else {
                resolve(&file.path, target)
            };
            let broken = match &path {
                // The search bundle is added after this check, by `build::add_search`.
                Some(path) if path.starts_with(crate::search::BUNDLE_DIR) && path[crate::search::BUNDLE_DIR.len()..].starts_with('/') => {
                    None
                }
                None => Some("leaves the site".to_string()),
                Some(path) if !pages.contains_key(path.as_str()) => Some("points to no file of the site".to_string()),
                Some(path) if !anchor.is_empty() && !ids.get(path.as_str()).is_some_and(|set| set.contains(anchor)) => {
                    Some(format!("points to no element with id `{anchor}`"))
                }
                _ => None,
            };
            if let Some(why) = broken {
                problems.push(Diagnostic::file(&file.path, format!("the link `{link}` {why}")));
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, html: &str) -> OutFile {
        OutFile { path: path.into(), bytes: html.as_bytes().to_vec() }
    }

    #[test]
    fn broken_files_and_anchors_are_found() {
        let files = [
            file(
                "index.html",
                r##"<a href="reports/a.html#p1">ok</a><a href="reports/a.html#p9">bad anchor</a><a href="nope.html">bad</a><a href="https://un.org/">out</a>"##,
            ),
            file("reports/a.html", r##"<p id="p1"></p><a href="../index.html">up</a><a href="#p1">here</a><img src="../missing.png">"##),
            file("404.html", r##"<a href="/sub/index.html">home</a><a href="/elsewhere.html">x</a>"##),
        ];
        let problems: Vec<String> = check(&files, "/sub/").iter().map(ToString::to_string).collect();
        assert_eq!(
            problems,
            [
                "index.html: the link `reports/a.html#p9` points to no element with id `p9`",
                "index.html: the link `nope.html` points to no file of the site",
                "reports/a.html: the link `../missing.png` points to no file of the site",
                "404.html: the link `/elsewhere.html` leaves the site",
            ]
        );
    }

    #[test]
    fn a_rebuild_checks_reused_pages_when_something_they_point_to_has_gone() {
        let report = file("reports/a.html", r##"<p id="p1"></p><a href="../img.png">map</a><a href="../index.html#top">up</a>"##);
        let index = |id: &str| file("index.html", &format!(r##"<h1 id="{id}"></h1><a href="reports/a.html#p1">a</a>"##));
        let reused: HashSet<String> = ["reports/a.html".to_string()].into();
        let mut seen = Seen::default();
        let first = [report.clone(), index("top"), file("img.png", "")];
        assert!(check_changed(&first, "/", &HashSet::new(), &mut seen).is_empty());
        // The reused page is not read again while nothing it points to changed...
        assert!(check_changed(&first, "/", &reused, &mut seen).is_empty());
        // ...but is checked when an anchor or a file it points to has gone.
        let renamed = [report.clone(), index("start"), file("img.png", "")];
        assert_eq!(check_changed(&renamed, "/", &reused, &mut seen).len(), 1);
        // A failed check keeps nothing: the next one checks every page.
        assert_eq!(check_changed(&renamed, "/", &reused, &mut seen).len(), 1);
        let removed = [report, index("top")];
        let mut seen = Seen::default();
        assert!(check_changed(&first, "/", &HashSet::new(), &mut seen).is_empty());
        assert_eq!(check_changed(&removed, "/", &reused, &mut seen).len(), 1);
    }

    #[test]
    fn relative_paths() {
        assert_eq!(resolve("reports/a.html", "../survey/b.html").as_deref(), Some("survey/b.html"));
        assert_eq!(resolve("index.html", "reports/").as_deref(), Some("reports/index.html"));
        assert_eq!(resolve("index.html", "../x.html"), None);
    }
}
