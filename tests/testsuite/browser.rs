//! Runs the real-browser tests in tests/browser (node:test + playwright-core driving
//! Debian's Chromium) against the shipped handbook.

use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus};
use std::time::{Duration, Instant};

use crate::common::repo;

/// Far above a normal run (about a minute), far below CI's limit: a browser test that hangs
/// becomes a failure with its name on screen, never a CI run that times out.
const DEADLINE: Duration = Duration::from_secs(20 * 60);

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
    let tap = tempfile::NamedTempFile::new().expect("temporary file");
    // The spec report streams to the terminal as tests run, so a slow or stuck test is named;
    // the TAP copy is what this test reads to check the counts.
    let mut child = Command::new("node")
        .args(["--test", "--test-concurrency=1", "--test-force-exit", "--test-timeout=420000"])
        .args(["--test-reporter=spec", "--test-reporter-destination=stderr"])
        .arg("--test-reporter=tap")
        .arg(format!("--test-reporter-destination={}", tap.path().display()))
        .current_dir(&dir)
        .env("NORMBOOK_BIN", env!("CARGO_BIN_EXE_normbook"))
        .env("NORMBOOK_ROOT", repo())
        .process_group(0)
        .spawn()
        .expect("node runs");
    let status = wait_or_kill(&mut child, DEADLINE);
    let report = std::fs::read_to_string(tap.path()).unwrap_or_default();
    let status = status.unwrap_or_else(|| panic!("the browser tests ran over {DEADLINE:?} and were stopped; TAP so far:\n{report}"));
    assert!(status.success(), "browser tests failed (the spec report is above):\n{report}");
    // node's exit status says whether all passed; the TAP lines show that tests ran at all.
    // (Its closing summary may be cut off by --test-force-exit, so it is not read.)
    let ran = report.lines().filter(|line| line.starts_with("ok ")).count();
    assert!(ran > 0, "no browser test ran:\n{report}");
    assert!(!report.lines().any(|line| line.starts_with("not ok ")), "{report}");
}

/// Waits for `child` up to `deadline`; past it, stops its whole process group (node and the
/// test files it runs) and returns None. SIGTERM first so playwright closes its browsers.
fn wait_or_kill(child: &mut Child, deadline: Duration) -> Option<ExitStatus> {
    let start = Instant::now();
    while start.elapsed() < deadline {
        if let Some(status) = child.try_wait().expect("waiting for node") {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let group = format!("-{}", child.id());
    let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
    std::thread::sleep(Duration::from_secs(5));
    let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
    let _ = child.wait();
    None
}
