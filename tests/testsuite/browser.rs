//! Runs the real-browser tests in tests/browser (node:test + playwright-core driving
//! Debian's Chromium) against the shipped handbook.

use std::process::Command;

use crate::common::repo;

#[test]
fn browser_tests_pass() {
    let dir = repo().join("tests/browser");
    assert!(
        std::path::Path::new("/usr/bin/chromium").exists(),
        "the browser tests need Debian's Chromium at /usr/bin/chromium: apt-get install chromium (.ci/run does it)"
    );
    if !dir.join("node_modules/playwright-core").is_dir() {
        let status = Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&dir).status().expect("npm runs");
        assert!(status.success(), "npm ci failed in tests/browser");
    }
    let output = Command::new("node")
        .args(["--test", "--test-reporter=spec", "--test-concurrency=1"])
        .current_dir(&dir)
        .env("NORMBOOK_BIN", env!("CARGO_BIN_EXE_normbook"))
        .env("NORMBOOK_ROOT", repo())
        .output()
        .expect("node runs");
    let report = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "browser tests failed:\n{report}");
    assert!(report.contains("ℹ pass ") && report.contains("ℹ fail 0"), "{report}");
}
