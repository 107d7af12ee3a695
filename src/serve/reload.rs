//! Live reload, for served pages only (never in `build` output): a small script that polls
//! the build status and reloads the page when a new build is ready, or shows the errors
//! of a failed one in an overlay.
//!
//! Polling short requests, rather than holding a stream open per tab, keeps every tab
//! within the browser's six connections per host and holds no server thread.

use serde::Serialize;

/// Where the dev server's own files live, under the base path.
pub const PREFIX: &str = "__normbook/";

/// The build the server is serving, as pages see it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Status {
    /// Counts builds, failed ones too; a page reloads when it changes and `ok` is true.
    pub id: u64,
    pub ok: bool,
    /// Every problem of a failed build, as printed in the terminal.
    pub errors: String,
    /// True once a build has succeeded: a failed one then leaves the last good site served.
    pub last_good: bool,
}

/// The script each served page loads: polls the build status, reloads, shows the overlay.
pub const SCRIPT: &str = include_str!("reload.js");

/// The overlay's style, loaded by the script only when there are errors to show.
pub const STYLE: &str = include_str!("reload.css");

/// Adds the reload script to a served HTML page of build `build_id`.
pub fn inject(html: &[u8], base_path: &str, build_id: u64) -> Vec<u8> {
    let tag = format!("<script src=\"{base_path}{PREFIX}reload.js?build={build_id}\" defer></script>");
    let text = String::from_utf8_lossy(html);
    match text.rfind("</head>") {
        Some(at) => format!("{}{tag}{}", &text[..at], &text[at..]).into_bytes(),
        None => format!("{text}{tag}").into_bytes(),
    }
}

/// The page served while there has never been a good build.
pub fn no_site_page(base_path: &str, build_id: u64) -> Vec<u8> {
    let page = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build failed</title></head>\
<body><h1>The site could not be built</h1><p>Fix the problems shown, and this page reloads.</p></body></html>";
    inject(page.as_bytes(), base_path, build_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_into_the_head() {
        let html = inject(b"<html><head><title>x</title></head><body></body></html>", "/sub/", 7);
        assert_eq!(
            String::from_utf8(html).unwrap(),
            "<html><head><title>x</title><script src=\"/sub/__normbook/reload.js?build=7\" defer></script></head><body></body></html>"
        );
    }
}
