//! Versioned asset URLs: pages link each stylesheet and script of their build as
//! `@/form.js?v=<hash of its bytes>`, so that a browser never pairs a page with a script
//! it cached from another build (a new page with an old survey model breaks the form).
//! Templates write `{{ site.assets["form.js"] }}`; the hashes depend only on the files'
//! bytes, so the same sources give the same pages.

use std::collections::BTreeMap;

use crate::output::OutFile;

/// A hash of `bytes` as 16 hex digits: FNV-1a, which is the same on every machine and in
/// every version of the program (a standard library hasher promises neither).
pub fn content_hash(bytes: &[u8]) -> String {
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, &byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3));
    format!("{hash:016x}")
}

/// True for the files a page must load from its own build: stylesheets and scripts.
/// (Images and documents only look older when cached, and a site may hold thousands.)
pub fn is_versioned(path: &str) -> bool {
    path.ends_with(".css") || path.ends_with(".js")
}

/// Each stylesheet and script among `files`, by its path from the site root, as the URL
/// pages link it by: `form.js` gives `@/form.js?v=<hash>`.
pub fn versioned_urls<'f>(files: impl IntoIterator<Item = &'f OutFile>) -> BTreeMap<String, String> {
    files
        .into_iter()
        .filter(|f| is_versioned(&f.path))
        .map(|f| (f.path.clone(), format!("@/{}?v={}", f.path, content_hash(&f.bytes))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn file(path: &str, text: &str) -> OutFile {
        OutFile { path: path.into(), bytes: Arc::new(text.as_bytes().to_vec()) }
    }

    #[test]
    fn a_script_s_url_changes_with_its_bytes_and_only_with_them() {
        let before = versioned_urls(&[file("form.js", "let a = 1;"), file("style.css", "p {}")]);
        let after = versioned_urls(&[file("form.js", "let a = 2;"), file("style.css", "p {}")]);
        assert!(before["form.js"].starts_with("@/form.js?v="), "{}", before["form.js"]);
        assert_ne!(before["form.js"], after["form.js"]);
        assert_eq!(before["style.css"], after["style.css"]);
    }

    #[test]
    fn stylesheets_and_scripts_get_versions_images_and_documents_do_not() {
        let urls = versioned_urls(&[file("favicon.svg", "<svg/>"), file("files/guide.pdf", "%PDF"), file("js/extra.js", "x")]);
        assert_eq!(urls.keys().collect::<Vec<_>>(), ["js/extra.js"]);
    }

    #[test]
    fn the_hash_is_the_same_on_every_machine() {
        // FNV-1a's published test values.
        assert_eq!(content_hash(b""), "cbf29ce484222325");
        assert_eq!(content_hash(b"a"), "af63dc4c8601ec8c");
    }
}
