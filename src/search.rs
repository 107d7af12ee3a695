//! Search: feeds the built HTML to pagefind, as a library, and adds its bundle (index, UI
//! scripts and styles, WASM) to the output under `pagefind/`.
//!
//! The bundle comes from `get_files`, never `write_files`, so each build's bundle is
//! complete and holds nothing from earlier builds. pagefind is async; its runtime lives
//! here. Pages opt in with `data-pagefind-body`; paragraphs are sub-results through their
//! `id` and `data-pagefind-title`.

use anyhow::{Context, Result};
use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::output::OutFile;

/// Where the bundle goes in the output.
pub const BUNDLE_DIR: &str = "pagefind";

/// Indexes every HTML page of `files`; returns the bundle's files.
pub fn index(files: &[OutFile], language: &str) -> Result<Vec<OutFile>> {
    Ok(index_unless(files, language, &|| false)?.expect("never given up"))
}

/// The same, giving up (`None`) as soon as `stale` says the pages are no longer wanted:
/// `serve` indexes in the background, and a newer build makes the work pointless.
pub fn index_unless(files: &[OutFile], language: &str, stale: &dyn Fn() -> bool) -> Result<Option<Vec<OutFile>>> {
    let runtime = tokio::runtime::Builder::new_current_thread().build().context("cannot start the search indexer")?;
    runtime.block_on(async {
        let config = PagefindServiceConfig::builder().force_language(primary_language(language)).build();
        let mut index = PagefindIndex::new(Some(config)).context("cannot configure pagefind")?;
        for file in files.iter().filter(|f| f.path.ends_with(".html") && f.path != "404.html") {
            if stale() {
                return Ok(None);
            }
            let html = String::from_utf8_lossy(&file.bytes).into_owned();
            index.add_html_file(Some(file.path.clone()), None, html).await.with_context(|| format!("cannot index {}", file.path))?;
        }
        let bundle = index.get_files().await.context("cannot build the search index")?;
        Ok(Some(
            bundle
                .into_iter()
                .map(|f| OutFile {
                    path: format!("{BUNDLE_DIR}/{}", f.filename.to_string_lossy().replace('\\', "/")),
                    bytes: std::sync::Arc::new(f.contents),
                })
                .collect(),
        ))
    })
}

/// pagefind wants an ISO 639-1 code: `en-GB` is indexed as `en`.
fn primary_language(language: &str) -> String {
    language.split(['-', '_']).next().unwrap_or("en").to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bundle_is_made_in_memory() {
        let page = OutFile {
            path: "reports/a.html".into(),
            bytes: b"<html lang=\"en\"><body><main data-pagefind-body><h1>Attribution</h1><div id=\"p1\" data-pagefind-title=\"Para. 1\">Text</div></main></body></html>".to_vec().into(),
        };
        let bundle = index(&[page], "en-GB").unwrap();
        let names: Vec<&str> = bundle.iter().map(|f| f.path.as_str()).collect();
        for expected in ["pagefind/pagefind.js", "pagefind/pagefind-ui.js", "pagefind/pagefind-ui.css", "pagefind/pagefind-entry.json"] {
            assert!(names.contains(&expected), "{expected} missing from {names:?}");
        }
        assert!(names.iter().any(|n| n.starts_with("pagefind/fragment/")));
    }
}
