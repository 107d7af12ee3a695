//! The last check of a build: every internal link and anchor in the output resolves.
//! A broken one (a template's typo, a heading anchor that changed) is a build error that
//! names the page.

use std::collections::HashSet;
use std::ops::Range;
use std::path::PathBuf;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::error::Diagnostic;
use crate::output::OutFile;

/// `a/c.html` from the page `a/b/x.html` and the link `../c.html`.
#[cfg(test)]
fn resolve(page: &str, link: &str) -> Option<String> {
    let mut path = String::new();
    resolve_into(page, link, &mut path).then_some(path)
}

/// Writes into `path` where `link` leads from `page`; false when it leads out of the site.
/// (A buffer, not a new string: a large site resolves a million links.)
fn resolve_into(page: &str, link: &str, path: &mut String) -> bool {
    path.clear();
    if let Some(slash) = page.rfind('/') {
        path.push_str(&page[..slash]);
    }
    // Cut at each '/' by hand: `split('/')` searches with more set-up than a link's few
    // bytes need, and a large site resolves hundreds of thousands.
    let mut rest = Some(link);
    while let Some(part) = rest {
        let (segment, after) = match part.bytes().position(|b| b == b'/') {
            Some(slash) => (&part[..slash], Some(&part[slash + 1..])),
            None => (part, None),
        };
        rest = after;
        match segment {
            "" | "." => {}
            ".." => {
                if path.is_empty() {
                    return false;
                }
                path.truncate(path.rfind('/').unwrap_or(0));
            }
            s => {
                if !path.is_empty() {
                    path.push('/');
                }
                path.push_str(s);
            }
        }
    }
    if link.ends_with('/') || path.is_empty() {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str("index.html");
    }
    true
}

/// Where the links written in the sources (a document's Markdown) lie, by the report page
/// they are on and the link as that page holds it: a broken one is reported at its
/// source's line. (A survey page that shows the paragraph reports its copy itself.)
#[derive(Debug, Default)]
pub struct LinkSources(FxHashMap<String, FxHashMap<String, Vec<LinkSource>>>);

/// A link as its source file holds it.
#[derive(Debug, Clone)]
pub struct LinkSource {
    pub file: PathBuf,
    pub line: usize,
    /// The link as written there (`@/reports/a.html` where the page holds `a.html`).
    pub written: String,
}

impl LinkSources {
    /// Records that `page` holds `link` (as the links check reads it) from `source`.
    pub fn add(&mut self, page: &str, link: String, source: LinkSource) {
        self.0.entry(page.to_string()).or_default().entry(link).or_default().push(source);
    }

    fn of(&self, page: &str, link: &str) -> &[LinkSource] {
        self.0.get(page).and_then(|links| links.get(link)).map_or(&[], Vec::as_slice)
    }
}

/// A link's file part (without its query) and its anchor.
#[inline]
fn split_link(link: &str) -> (&str, &str) {
    // Cut with SIMD searches: a large site has a million links.
    let (target, anchor) = match memchr::memchr(b'#', link.as_bytes()) {
        Some(hash) => (&link[..hash], &link[hash + 1..]),
        None => (link, ""),
    };
    (memchr::memchr(b'?', target.as_bytes()).map_or(target, |query| &target[..query]), anchor)
}

/// Writes into `path` the output path that the file part of a link from `page` leads to
/// (the page itself when empty); false when out of the site.
#[inline]
fn resolve_target(page: &str, target: &str, base_path: &str, path: &mut String) -> bool {
    if target.is_empty() {
        path.clear();
        path.push_str(page);
        true
    } else {
        resolve_link(page, target, base_path, path)
    }
}

/// What a links check saw: every output path, and the element ids of each HTML page.
#[derive(Default)]
pub struct Seen {
    paths: FxHashSet<String>,
    ids: PageIds,
}

/// The element ids of each HTML page, by output path.
type PageIds = FxHashMap<String, IdSet>;

/// The element ids of a page, as sorted hashes: a report page has hundreds of ids, a large
/// site millions, and a hash is a fraction of a string's memory. (Two ids of one page whose
/// 64-bit hashes agree would let a link to the one pass for the other; that is all.)
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct IdSet(Vec<u64>);

impl IdSet {
    fn new(mut hashes: Vec<u64>) -> Self {
        hashes.sort_unstable();
        hashes.dedup();
        hashes.shrink_to_fit();
        IdSet(hashes)
    }

    fn contains(&self, id: &str) -> bool {
        // Hashes lie evenly, so a hash's place is close to its share of the range: looking
        // there first reads one or two cache lines where a binary search reads several.
        let (hash, hashes) = (crate::hash::hash_of(id), &self.0);
        let Some(last) = hashes.len().checked_sub(1) else { return false };
        let mut at = ((u128::from(hash) * hashes.len() as u128) >> 64) as usize;
        while at > 0 && hashes[at] > hash {
            at -= 1;
        }
        while at < last && hashes[at] < hash {
            at += 1;
        }
        hashes[at] == hash
    }
}

/// What the check needs of one page, read as the page is made (a `build` writes pages
/// as they are rendered and keeps only this): its element ids and its links into the site.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct PageScan {
    ids: IdSet,
    /// Each link into the site, as written (`&amp;` decoded), in order.
    links: Links,
}

impl PageScan {
    /// The same without the links to an id of the page itself (`#id`), which need no
    /// check: a writer may leave out those it knows lead to an id it wrote.
    pub fn without_own_anchors(&self) -> PageScan {
        let mut links = Links::default();
        for link in self.links.iter().filter(|link| !link.strip_prefix('#').is_some_and(|id| self.ids.contains(id))) {
            links.push(link);
        }
        PageScan { ids: self.ids.clone(), links }
    }
}

/// A page's links end to end in one string: a large site has a million.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Links {
    text: String,
    /// Where each link ends in `text`; it starts where the one before ends.
    ends: Vec<u32>,
}

impl Links {
    fn push(&mut self, link: &str) {
        self.text.push_str(link);
        self.ends.push(self.text.len() as u32);
    }

    fn iter(&self) -> impl Iterator<Item = &str> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts.zip(&self.ends).map(|(start, &end)| &self.text[start as usize..end as usize])
    }
}

/// Reads the ids (`id`) and links (`href`, `src`) of a page from the attributes of its
/// tags, quoted either way or not at all. Text, comments and the insides of `script` and
/// `style` are passed over: `href="x"` in a paragraph's words is no link.
pub fn scan(html: &str) -> PageScan {
    let mut recorder = ScanRecorder::default();
    recorder.html(html, 0);
    recorder.finish(html)
}

/// A page's scan, gathered while the page is written: the parts of it a writer did not
/// make itself (template output, Markdown) are read, and the ids and links it made are
/// told. The result is that of `scan` over the whole page, without reading again the
/// attributes the writer wrote: most of a report page's.
#[derive(Debug, Default)]
pub struct ScanRecorder {
    ids: Vec<u64>,
    /// Where each link's value lies in the page, in order.
    links: Vec<Range<usize>>,
    /// Set when a part read could end differently once more is written (an attribute
    /// left open): the page must then be read whole.
    incomplete: bool,
}

impl ScanRecorder {
    /// Reads the ids and links of `page[from..]`, from the attributes of its tags.
    pub fn html(&mut self, page: &str, from: usize) {
        let complete = crate::html::for_each_attribute(page, from, |name, value| {
            if name.eq_ignore_ascii_case("id") {
                self.id(&page[value]);
            } else if crate::html::is_link_attribute(name) {
                self.link(page, value);
            }
        });
        // What is left open ends in a part not read yet.
        self.incomplete |= !complete;
    }

    /// Whether the page must be read whole after all (see `incomplete`).
    pub fn is_complete(&self) -> bool {
        !self.incomplete
    }

    /// An element id, as written.
    pub fn id(&mut self, value: &str) {
        self.ids.push(crate::hash::hash_of(value));
    }

    /// A link, as written at `range` of `page`; links out of the site are left out.
    pub fn link(&mut self, page: &str, range: Range<usize>) {
        let value = &page[range.clone()];
        let external = memchr::memchr(b':', value.as_bytes())
            .is_some_and(|colon| value[colon..].starts_with("://") || ["mailto", "data", "javascript"].contains(&&value[..colon]));
        if !external {
            self.links.push(range);
        }
    }

    /// The scan of `page`, the whole page written.
    pub fn finish(self, page: &str) -> PageScan {
        let mut links = Links::default();
        links.ends.reserve_exact(self.links.len());
        for range in self.links {
            let value = &page[range];
            if memchr::memchr(b'&', value.as_bytes()).is_some() {
                links.push(&value.replace("&amp;", "&"));
            } else {
                links.push(value);
            }
        }
        PageScan { ids: IdSet::new(self.ids), links }
    }
}

/// The same after a rebuild in `serve`, or with the pages a `build` wrote already given
/// as `streamed` scans: the pages in `reused` are the last good build's, byte for byte,
/// so their ids are not read again nor their links checked, unless some other page's ids
/// changed or a file has gone (then a reused page may point to something that is no more,
/// and every page is checked). `seen` holds the last good check's view and is updated only
/// when this check finds no problem.
pub fn check_changed(
    files: &[OutFile],
    streamed: FxHashMap<String, PageScan>,
    base_path: &str,
    reused: &HashSet<String>,
    seen: &mut Seen,
    sources: &LinkSources,
) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    // Taken, not copied; after a failed check nothing is kept and the next one is complete.
    let mut previous = std::mem::take(seen);
    let html: Vec<&OutFile> = files.iter().filter(|f| f.path.ends_with(".html")).collect();
    let mut ids = PageIds::default();
    for file in html.iter().filter(|f| reused.contains(&f.path)) {
        if let Some(page_ids) = previous.ids.remove(&file.path) {
            ids.insert(file.path.clone(), page_ids);
        }
    }
    let read: Vec<(String, PageScan)> = html
        .par_iter()
        .filter(|f| !ids.contains_key(&f.path) && !streamed.contains_key(&f.path))
        .map(|f| (f.path.clone(), scan(text_of(f))))
        .collect();
    let mut paths: FxHashSet<String> = files.iter().map(|f| f.path.clone()).collect();
    paths.extend(streamed.keys().cloned());
    let mut all_pages = !previous.paths.is_subset(&paths);
    let mut links: Vec<(String, Links)> = Vec::new();
    for (path, page) in read.into_iter().chain(streamed) {
        all_pages |= previous.ids.get(&path) != Some(&page.ids);
        ids.insert(path.clone(), page.ids);
        links.push((path, page.links));
    }
    if all_pages {
        // The reused pages whose ids came from the last check: their links too are read now.
        let read: FxHashSet<&str> = links.iter().map(|(path, _)| path.as_str()).collect();
        let again: Vec<(String, Links)> = html
            .par_iter()
            .filter(|f| reused.contains(&f.path) && !read.contains(f.path.as_str()))
            .map(|f| (f.path.clone(), scan(text_of(f)).links))
            .collect();
        links.extend(again);
    }
    // Every file of the site, with its ids if it is a page.
    let files: Files = paths.iter().map(|path| (path.as_str(), ids.get(path))).collect();
    let problems: Vec<Diagnostic> =
        links.par_iter().flat_map_iter(|(page, links)| page_problems(page, links, &files, base_path, sources)).collect();
    if problems.is_empty() {
        *seen = Seen { paths, ids };
    }
    problems
}

fn text_of(file: &OutFile) -> &str {
    std::str::from_utf8(&file.bytes).unwrap_or("")
}

/// Every file of a site by output path, with the ids of each page.
type Files<'s> = FxHashMap<&'s str, Option<&'s IdSet>>;

/// The links of `page` that lead nowhere, each where it was written (see `LinkSources`),
/// or else on the page.
fn page_problems(page: &str, links: &Links, files: &Files, base_path: &str, sources: &LinkSources) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    // A page links to the same few files many times: each is resolved and looked up once.
    // (A report page has some hundred links to a third as many files: room for half its
    // links spares the map growing.)
    let mut targets: FxHashMap<&str, Target> = FxHashMap::with_capacity_and_hasher(links.ends.len() / 2, Default::default());
    let mut path = String::new();
    // A page may hold one link many times: a broken one is reported once.
    let mut reported: FxHashSet<&str> = FxHashSet::default();
    for link in links.iter() {
        let (target, anchor) = split_link(link);
        let found = *targets.entry(target).or_insert_with(|| {
            if !resolve_target(page, target, base_path, &mut path) {
                Target::Outside
            } else if path.strip_prefix(crate::search::BUNDLE_DIR).is_some_and(|rest| rest.starts_with('/')) {
                // The search bundle is made after this check, from the pages written.
                Target::Unchecked
            } else {
                files.get(path.as_str()).map_or(Target::Missing, |ids| Target::Page(*ids))
            }
        });
        let broken = match found {
            Target::Unchecked => None,
            Target::Outside => Some("leaves the site".to_string()),
            Target::Missing => Some("points to no file of the site".to_string()),
            Target::Page(page_ids) if !anchor.is_empty() && !page_ids.is_some_and(|set| set.contains(anchor)) => {
                Some(format!("points to no element with id `{anchor}`"))
            }
            Target::Page(_) => None,
        };
        if let Some(why) = broken.filter(|_| reported.insert(link)) {
            match sources.of(page, link) {
                [] => problems.push(Diagnostic::file(page, format!("the link `{link}` {why}"))),
                written => {
                    problems.extend(written.iter().map(|source| {
                        Diagnostic::at(&source.file, source.line, format!("the link `{}` (on {page}) {why}", source.written))
                    }))
                }
            }
        }
    }
    problems
}

/// Where the file part of a link leads.
#[derive(Clone, Copy)]
enum Target<'i> {
    /// A file of the site, with its ids if it is a page.
    Page(Option<&'i IdSet>),
    /// Out of the site.
    Outside,
    /// To no file of the site.
    Missing,
    /// Into the search bundle, written after the check.
    Unchecked,
}

/// Writes into `path` the output path a link from `page` leads to (false: out of the
/// site); absolute links start at `base_path`.
fn resolve_link(page: &str, target: &str, base_path: &str, path: &mut String) -> bool {
    if let Some(absolute) = target.strip_prefix(base_path) {
        resolve_into("index.html", absolute, path)
    } else if target.starts_with('/') {
        false
    } else {
        resolve_into(page, target, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Problems with the links of every HTML page of `files`, all read from their HTML.
    fn check(files: &[OutFile], base_path: &str) -> Vec<Diagnostic> {
        check_changed(files, FxHashMap::default(), base_path, &HashSet::new(), &mut Seen::default(), &LinkSources::default())
    }

    fn file(path: &str, html: &str) -> OutFile {
        OutFile { path: path.into(), bytes: html.as_bytes().to_vec().into() }
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
        assert!(check_changed(&first, FxHashMap::default(), "/", &HashSet::new(), &mut seen, &LinkSources::default()).is_empty());
        // The reused page is not read again while nothing it points to changed...
        assert!(check_changed(&first, FxHashMap::default(), "/", &reused, &mut seen, &LinkSources::default()).is_empty());
        // ...but is checked when an anchor or a file it points to has gone.
        let renamed = [report.clone(), index("start"), file("img.png", "")];
        assert_eq!(check_changed(&renamed, FxHashMap::default(), "/", &reused, &mut seen, &LinkSources::default()).len(), 1);
        // A failed check keeps nothing: the next one checks every page.
        assert_eq!(check_changed(&renamed, FxHashMap::default(), "/", &reused, &mut seen, &LinkSources::default()).len(), 1);
        let removed = [report, index("top")];
        let mut seen = Seen::default();
        assert!(check_changed(&first, FxHashMap::default(), "/", &HashSet::new(), &mut seen, &LinkSources::default()).is_empty());
        assert_eq!(check_changed(&removed, FxHashMap::default(), "/", &reused, &mut seen, &LinkSources::default()).len(), 1);
    }

    #[test]
    fn pages_written_already_are_checked_from_their_scans() {
        let index = file("index.html", r##"<h1 id="top"></h1>"##);
        let streamed = |html: &str| FxHashMap::from_iter([("reports/a.html".to_string(), scan(html))]);
        let good =
            streamed(r##"<p id="p1"></p><a href="#p1">here</a><a href="../index.html#top">up</a><a href="https://un.org/">out</a>"##);
        assert!(check_changed(std::slice::from_ref(&index), good, "/", &HashSet::new(), &mut Seen::default(), &LinkSources::default())
            .is_empty());
        let bad = streamed(r##"<a href="../index.html#bottom">down</a><a href="../index.html#bottom">again</a>"##);
        let problems: Vec<String> = check_changed(&[index], bad, "/", &HashSet::new(), &mut Seen::default(), &LinkSources::default())
            .iter()
            .map(ToString::to_string)
            .collect();
        // Each distinct broken link is reported once per page.
        assert_eq!(problems, ["reports/a.html: the link `../index.html#bottom` points to no element with id `bottom`"]);
    }

    /// The reader this module had before pages were scanned as written: ids (sorted, each
    /// once) and distinct links, for comparison.
    fn reference_scan(html: &str) -> (Vec<u64>, Vec<String>) {
        let bytes = html.as_bytes();
        let (mut ids, mut links, mut seen) = (Vec::new(), Vec::new(), FxHashSet::default());
        let mut from = 0;
        while let Some(equals) = memchr::memchr(b'=', &bytes[from..]).map(|i| from + i) {
            if bytes.get(equals + 1) != Some(&b'"') {
                from = equals + 1;
                continue;
            }
            let value_start = equals + 2;
            let Some(value_end) = memchr::memchr(b'"', &bytes[value_start..]).map(|i| value_start + i) else { break };
            from = value_end + 1;
            let name = &bytes[..equals];
            let value = &html[value_start..value_end];
            if name.ends_with(b"id") && name.len() > 2 && name[name.len() - 3].is_ascii_whitespace() {
                ids.push(crate::hash::hash_of(value));
            } else if name.ends_with(b"href") || name.ends_with(b"src") {
                let external = memchr::memchr(b':', value.as_bytes())
                    .is_some_and(|colon| value[colon..].starts_with("://") || ["mailto", "data", "javascript"].contains(&&value[..colon]));
                if !external && seen.insert(value) {
                    links.push(value.replace("&amp;", "&"));
                }
            }
        }
        (IdSet::new(ids).0, links)
    }

    #[test]
    fn pages_are_read_as_the_reader_before_read_them() {
        let pages = [
            r##"<p id="a"></p><a href="#a" title="x=">1</a><a href="#a">again</a><img src="i.png">"##,
            r##"<li id="n" value="src="><p>note</p></li><li id="m">"##,
            r##"<a title='id="q"' href="b.html?x=1&amp;y=2">b</a> <i data-x="1" id="r">"##,
            r##"<div class="c" id="s"><a href="https://un.org/">out</a><a href="mailto:a@b">m</a>"##,
            r##"<a href="c.html">c</a><div id="open"##,
            r##"text with = and "quotes" and id= nothing <b id="t">"##,
        ];
        for page in pages {
            let scan = scan(page);
            let mut links: Vec<String> = Vec::new();
            for link in scan.links.iter() {
                if !links.iter().any(|l| l == link) {
                    links.push(link.to_string());
                }
            }
            assert_eq!((scan.ids.0, links), reference_scan(page), "{page}");
        }
    }

    #[test]
    fn a_value_ending_in_an_attribute_name_is_not_read_as_one() {
        // Footnote labels `xsrc=`, `yhref=` and `z-id=` in their anchors, values and links.
        let page = r##"<li id="n-fn-xsrc=" value="xsrc="><p>Note x.</p></li><li id="n-fn-z-id=" value="z-id=">
            <a data-label="yhref=" href="#n-fn-xsrc=">x</a> <a title="a id=" href="ok.html">ok</a>"##;
        let scan = scan(page);
        assert_eq!(scan.links.iter().collect::<Vec<_>>(), ["#n-fn-xsrc=", "ok.html"]);
        assert_eq!(scan.ids, IdSet::new(vec![crate::hash::hash_of("n-fn-xsrc="), crate::hash::hash_of("n-fn-z-id=")]));
    }

    #[test]
    fn links_and_ids_are_read_from_tags_quoted_any_way_and_nowhere_else() {
        let page = r##"<!DOCTYPE html><p id=plain class='x'>A paragraph says href="text.html" and id="text", 3 < 4.</p>
            <a HREF='single.html' title="it's">s</a><img alt="a > b" src=bare.png><div data-href="data.html" data-id="d"></div>
            <!-- <a href="comment.html"> --><script src="s.js">if (a<b) { x = "<a href='script.html'>"; }</script>
            <style>a[href="style.html"] { color: red }</style><a id = "spaced" href = "spaced.html">s</a>"##;
        let scan = scan(page);
        assert_eq!(scan.links.iter().collect::<Vec<_>>(), ["single.html", "bare.png", "s.js", "spaced.html"]);
        assert_eq!(scan.ids, IdSet::new(vec![crate::hash::hash_of("plain"), crate::hash::hash_of("spaced")]));
    }

    #[test]
    fn a_part_that_may_end_later_asks_for_the_whole_page() {
        let mut recorder = ScanRecorder::default();
        recorder.html(r#"<p id="a" value="src=">ok</p>"#, 0);
        assert!(recorder.is_complete());
        // An attribute left open ends in a part not read yet.
        let mut recorder = ScanRecorder::default();
        recorder.html(r#"<a href="@/x.html"#, 0);
        assert!(!recorder.is_complete());
    }

    #[test]
    fn a_page_has_exactly_the_ids_it_was_given() {
        for count in [0, 1, 2, 3, 10, 1000] {
            let ids: Vec<String> = (0..count).map(|i| format!("doc-{i}")).collect();
            let set = IdSet::new(ids.iter().map(|id| crate::hash::hash_of(id.as_str())).collect());
            assert!(ids.iter().all(|id| set.contains(id)), "{count} ids");
            assert!((0..100).all(|i| !set.contains(&format!("other-{i}"))), "{count} ids");
        }
    }

    #[test]
    fn relative_paths() {
        assert_eq!(resolve("reports/a.html", "../survey/b.html").as_deref(), Some("survey/b.html"));
        assert_eq!(resolve("index.html", "reports/").as_deref(), Some("reports/index.html"));
        assert_eq!(resolve("index.html", "../x.html"), None);
        assert_eq!(resolve("a/b/x.html", "../../c/./d.html").as_deref(), Some("c/d.html"));
        assert_eq!(resolve("a/x.html", "..").as_deref(), Some("index.html"));
        assert_eq!(resolve("index.html", "a//b.html").as_deref(), Some("a/b.html"));
        assert_eq!(resolve("a/x.html", "./").as_deref(), Some("a/index.html"));
        assert_eq!(resolve("a/x.html", "b/.").as_deref(), Some("a/b"));
    }
}
