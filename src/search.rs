//! Search: feeds the built HTML to pagefind, as a library, and adds its bundle (index, UI
//! scripts and styles, WASM) to the output under `pagefind/`.
//!
//! The bundle comes from `get_files`, never `write_files`, so each build's bundle is
//! complete and holds nothing from earlier builds. pagefind is async; its runtime lives
//! here. Pages opt in with `data-pagefind-body`; paragraphs are sub-results through their
//! `id` and `data-pagefind-title`. Pages are given in order of their paths, so the same
//! site always gets the same bundle, byte for byte (pagefind numbers pages as given; its
//! own reading of a folder follows the order the file system lists them in).

use std::path::Path;

use anyhow::{Context, Result};
use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::output::OutFile;
use crate::progress::Progress;

/// Where the bundle goes in the output.
pub const BUNDLE_DIR: &str = "pagefind";

/// The page left out of the index: it stands for pages that are not there.
const NOT_FOUND_PAGE: &str = "404.html";

/// Indexes every HTML page of `files`; returns the bundle's files, or `None` as soon as
/// `stale` says the pages are no longer wanted: `serve` indexes in the background, and a
/// newer build makes the work pointless.
pub fn index_unless(files: &[OutFile], language: &str, stale: &dyn Fn() -> bool) -> Result<Option<Vec<OutFile>>> {
    let mut pages: Vec<&OutFile> = files.iter().filter(|f| is_indexed(&f.path)).collect();
    pages.sort_by(|a, b| a.path.cmp(&b.path));
    let pages = pages.into_iter().map(|f| Ok((f.path.clone(), String::from_utf8_lossy(&f.bytes).into_owned())));
    index_pages(pages, language, stale)
}

/// Indexes every HTML page written under `folder`, read one at a time: a large site's
/// pages are never all in memory at once.
pub fn index_folder(folder: &Path, language: &str, progress: &Progress) -> Result<Vec<OutFile>> {
    let mut paths = crate::output::files_under(folder)?;
    paths.retain(|path| is_indexed(path));
    progress.stage("Indexing search", paths.len());
    let pages = paths.into_iter().map(|path| {
        progress.step();
        let file = folder.join(&path);
        // As from memory: a site's own static page need not be UTF-8.
        let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
        Ok((path, String::from_utf8_lossy(&bytes).into_owned()))
    });
    Ok(index_pages(pages, language, &|| false)?.expect("never given up"))
}

fn is_indexed(path: &str) -> bool {
    path.ends_with(".html") && path != NOT_FOUND_PAGE
}

/// Indexes `pages` (path from the site root, HTML), in the order given.
fn index_pages(
    pages: impl Iterator<Item = Result<(String, String)>>,
    language: &str,
    stale: &dyn Fn() -> bool,
) -> Result<Option<Vec<OutFile>>> {
    let runtime = runtime()?;
    runtime.block_on(async {
        let mut index = new_index(language)?;
        for page in pages {
            if stale() {
                return Ok(None);
            }
            let (path, html) = page?;
            index.add_html_file(Some(path.clone()), None, html).await.with_context(|| format!("cannot index {path}"))?;
        }
        bundle(&mut index).await.map(Some)
    })
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread().build().context("cannot start the search indexer")
}

fn new_index(language: &str) -> Result<PagefindIndex> {
    let config = PagefindServiceConfig::builder().force_language(primary_language(language)).build();
    PagefindIndex::new(Some(config)).context("cannot configure pagefind")
}

/// The bundle of the pages indexed, as output files under `BUNDLE_DIR`.
async fn bundle(index: &mut PagefindIndex) -> Result<Vec<OutFile>> {
    let bundle = index.get_files().await.context("cannot build the search index")?;
    Ok(bundle
        .into_iter()
        .map(|f| OutFile {
            path: format!("{BUNDLE_DIR}/{}", f.filename.to_string_lossy().replace('\\', "/")),
            bytes: std::sync::Arc::new(f.contents),
        })
        .collect())
}

/// pagefind wants an ISO 639-1 code: `en-GB` is indexed as `en`.
fn primary_language(language: &str) -> String {
    language.split(['-', '_']).next().unwrap_or("en").to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, body: &str) -> OutFile {
        let html = format!("<html lang=\"en\"><body><main data-pagefind-body><h1>{body}</h1><div id=\"p1\" data-pagefind-title=\"Para. 1\">{body} text</div></main></body></html>");
        OutFile { path: path.into(), bytes: html.into_bytes().into() }
    }

    fn page_count(bundle: &[OutFile]) -> u64 {
        let entry = bundle.iter().find(|f| f.path == "pagefind/pagefind-entry.json").expect("entry file");
        let entry: serde_json::Value = serde_json::from_slice(&entry.bytes).unwrap();
        entry["languages"]["en"]["page_count"].as_u64().unwrap()
    }

    #[test]
    fn a_site_gets_the_same_bundle_from_memory_or_from_its_folder() {
        let pages = [
            page("reports/zeta.html", "Zeta attribution"),
            page("index.html", "Home of norms"),
            page("404.html", "Nothing here"),
            page("reports/alpha.html", "Alpha confidence"),
            page("survey/norm-13a.html", "Norm cooperation"),
        ];
        let from_memory = index_unless(&pages, "en-GB", &|| false).unwrap().expect("not stale");
        let names: Vec<&str> = from_memory.iter().map(|f| f.path.as_str()).collect();
        for expected in ["pagefind/pagefind.js", "pagefind/pagefind-ui.js", "pagefind/pagefind-ui.css", "pagefind/pagefind-entry.json"] {
            assert!(names.contains(&expected), "{expected} missing from {names:?}");
        }
        assert!(names.iter().any(|n| n.starts_with("pagefind/fragment/")));
        // Every page but the one for pages that are not there.
        assert_eq!(page_count(&from_memory), 4);
        // Written in another order, read back from disk: the same bundle, byte for byte.
        let folder = tempfile::tempdir().unwrap();
        for file in pages.iter().rev() {
            let path = folder.path().join(&file.path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, file.bytes.as_slice()).unwrap();
        }
        let from_folder = index_folder(folder.path(), "en", &Progress::hidden()).unwrap();
        // A static page that is not UTF-8 is indexed as it is read from memory, not refused.
        let legacy = b"<html lang=\"en\"><body><main data-pagefind-body>Caf\xe9</main></body></html>";
        std::fs::write(folder.path().join("legacy.html"), legacy).unwrap();
        let with_legacy = index_folder(folder.path(), "en", &Progress::hidden()).unwrap();
        assert_eq!(page_count(&with_legacy), 5);
        let bytes = |bundle: &[OutFile]| {
            let mut files: Vec<(String, Vec<u8>)> = bundle.iter().map(|f| (f.path.clone(), f.bytes.to_vec())).collect();
            files.sort();
            files
        };
        assert_eq!(bytes(&from_folder), bytes(&from_memory));
    }
}
