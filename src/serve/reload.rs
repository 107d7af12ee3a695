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

pub const SCRIPT: &str = r#"// normbook serve: reloads this page after each rebuild; shows build errors.
(function () {
  "use strict";
  var src = document.currentScript.src;
  var base = src.replace(/reload\.js(\?.*)?$/, "");
  // The build this page came from: a newer one means reload, however soon it came.
  var seen = Number((src.match(/[?&]build=(\d+)/) || [])[1]);
  var overlay = null;
  function show(status) {
    if (!overlay) {
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = base + "reload.css";
      document.head.appendChild(css);
      overlay = document.createElement("div");
      overlay.className = "normbook-error-overlay";
      overlay.setAttribute("role", "alert");
      var title = document.createElement("h2");
      var pre = document.createElement("pre");
      overlay.appendChild(title);
      overlay.appendChild(pre);
      document.body.appendChild(overlay);
    }
    overlay.querySelector("h2").textContent = status.last_good
      ? "The last rebuild failed: this page is the last good build"
      : "The site has not been built yet: fix these problems, and this page reloads";
    overlay.querySelector("pre").textContent = status.errors;
  }
  // One poll chain per page: a tab shown again polls at once instead of starting a second chain.
  var timer = null;
  var busy = false;
  function schedule(ms) {
    clearTimeout(timer);
    timer = setTimeout(poll, ms);
  }
  function poll() {
    if (busy) return;
    busy = true;
    fetch(base + "build", { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (status) {
        busy = false;
        if (!status.ok) show(status);
        if (status.id !== seen && status.ok) { location.reload(); return; }
        schedule(document.hidden ? 1000 : 100);
      })
      .catch(function () { busy = false; schedule(1000); });
  }
  document.addEventListener("visibilitychange", function () { if (!document.hidden) schedule(0); });
  poll();
})();
"#;

pub const STYLE: &str = ".normbook-error-overlay { position: fixed; inset: 0; z-index: 2147483647; overflow: auto; \
background: rgba(20, 20, 20, .94); color: #fff; padding: 2rem; font: 14px/1.5 ui-monospace, monospace; }\n\
.normbook-error-overlay h2 { color: #ff8a80; font-size: 1.2rem; }\n\
.normbook-error-overlay pre { white-space: pre-wrap; }\n";

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
