//! `normbook serve`: pages with the reload script, rebuilds on change, the error state,
//! recovery, refused paths, and long-lived clients that hold up no one.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;

struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(root: &Path) -> Server {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new(env!("CARGO_BIN_EXE_normbook"))
        .args(["serve", "--quiet", "--port", &port.to_string()])
        .current_dir(root)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let server = Server { child, port };
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return server;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("serve did not start");
}

/// `normbook serve` run with `args` in `root`, its terminal lines (both streams) gathered
/// as they come.
struct Console {
    child: Child,
    lines: std::sync::mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Drop for Console {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Console {
    fn start(root: &Path, args: &[&str]) -> Console {
        Console::spawn(Command::new(env!("CARGO_BIN_EXE_normbook")).arg("serve").args(args).current_dir(root))
    }

    fn spawn(command: &mut Command) -> Console {
        let mut child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        let (tx, lines) = std::sync::mpsc::channel();
        let out: Box<dyn Read + Send> = Box::new(child.stdout.take().unwrap());
        let err: Box<dyn Read + Send> = Box::new(child.stderr.take().unwrap());
        for stream in [out, err] {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in std::io::BufRead::lines(std::io::BufReader::new(stream)).map_while(Result::ok) {
                    let _ = tx.send(line);
                }
            });
        }
        Console { child, lines, seen: Vec::new() }
    }

    /// Waits (20 s at most) for a line that contains `text`; returns all lines so far.
    fn wait_for(&mut self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !self.seen.iter().any(|line| line.contains(text)) {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => self.seen.push(line),
                Err(_) => panic!("no line with {text:?} in:\n{}", self.seen.join("\n")),
            }
        }
        self.seen.join("\n")
    }
}

/// A raw HTTP GET; returns status line + headers + body.
fn get(port: u16, path: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

fn status_id(port: u16) -> (u64, bool, String) {
    let response = get(port, "/__normbook/build");
    let body = &response[response.find("\r\n\r\n").unwrap() + 4..];
    let json: serde_json::Value = serde_json::from_str(body).unwrap();
    (json["id"].as_u64().unwrap(), json["ok"].as_bool().unwrap(), json["errors"].as_str().unwrap().to_string())
}

fn wait_for_build(port: u16, after: u64) -> (u64, bool, String) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let status = status_id(port);
        if status.0 > after || Instant::now() > deadline {
            return status;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The status of the first build after `after` whose errors meet `wanted` (two files
/// saved one after the other may be built apart), or the last one within the deadline.
fn wait_for_build_where(port: u16, after: u64, wanted: impl Fn(&str) -> bool) -> (u64, bool, String) {
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut status = wait_for_build(port, after);
    while !wanted(&status.2) && Instant::now() < deadline {
        status = wait_for_build(port, status.0);
    }
    status
}

#[test]
fn serves_rebuilds_reports_errors_and_recovers() {
    let site = fixture("mini");
    let server = start(site.path());
    let page = get(server.port, "/reports/alpha.html");
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(page.contains("Content-Type: text/html; charset=utf-8"));
    assert!(page.contains(r#"<script src="/__normbook/reload.js?build=1" defer></script></head>"#), "{page}");
    assert!(get(server.port, "/").contains("Mini handbook"));
    assert!(get(server.port, "/__normbook/reload.js").contains("location.reload()"));
    let (first, ok, _) = status_id(server.port);
    assert!(ok);

    // A change is rebuilt and served.
    let alpha = site.path().join("content/alpha.md");
    let original = read(&alpha);
    std::fs::write(&alpha, original.replace("cites a footnote", "cites a changed footnote")).unwrap();
    let (second, ok, _) = wait_for_build(server.port, first);
    assert!(second > first && ok);
    assert!(get(server.port, "/reports/alpha.html").contains("cites a changed footnote"));

    // A broken file: errors with file:line, and the last good site stays.
    std::fs::write(&alpha, original.replace("1. The first", "1. See [[alpha:99]]. The first")).unwrap();
    let (third, ok, errors) = wait_for_build(server.port, second);
    assert!(third > second && !ok);
    assert!(errors.contains("content/alpha.md:23: `alpha:99` is not a paragraph"), "{errors}");
    assert!(get(server.port, "/reports/alpha.html").contains("cites a changed footnote"));

    // Fixed: served again, errors cleared.
    std::fs::write(&alpha, &original).unwrap();
    let (fourth, ok, errors) = wait_for_build(server.port, third);
    assert!(fourth > third && ok && errors.is_empty());
    assert!(get(server.port, "/reports/alpha.html").contains("cites a footnote"));

    // An editor's scratch file triggers nothing.
    std::fs::write(site.path().join("content/.alpha.md.swp"), "x").unwrap();
    std::thread::sleep(Duration::from_millis(400));
    assert_eq!(status_id(server.port).0, fourth);
}

#[test]
fn a_link_checked_in_a_failed_rebuild_is_checked_again_after_it() {
    let site = fixture("mini");
    std::fs::write(site.path().join("site.toml"), read(site.path().join("site.toml")) + "search = false\n").unwrap();
    let server = start(site.path());
    let (first, ok, _) = status_id(server.port);
    assert!(ok);
    let (alpha, beta) = (site.path().join("content/alpha.md"), site.path().join("content/beta.md"));
    let (alpha_text, beta_text) = (read(&alpha), read(&beta));
    let prose = "I have the honour to submit the report";
    let paragraph = "9. Paragraph 8 of this report";
    // Alpha gains an id that beta links to, and beta a broken reference: the build fails
    // for the reference alone, the link leading somewhere.
    std::fs::write(&alpha, alpha_text.replace(prose, &format!("<span id=\"extra\">Extra.</span> {prose}"))).unwrap();
    std::fs::write(&beta, beta_text.replace(paragraph, &format!("9. See [extra](alpha.html#extra) and [[alpha:99]]. {}", &paragraph[3..])))
        .unwrap();
    let (second, ok, errors) = wait_for_build_where(server.port, first, |errors| errors.contains("`alpha:99`"));
    assert!(second > first && !ok && !errors.contains("#extra"), "{errors}");
    // Alpha as it was (its page taken from the last good build), beta's reference mended:
    // the link now leads nowhere, though the failed build saw the id.
    std::fs::write(&alpha, &alpha_text).unwrap();
    std::fs::write(&beta, beta_text.replace(paragraph, &format!("9. See [extra](alpha.html#extra). {}", &paragraph[3..]))).unwrap();
    // A build may start between the two saves and see one file old, one new (it reads
    // them in parallel), and even pass: wait for the build that saw both.
    let (third, ok, errors) = wait_for_build_where(server.port, second, |errors| errors.contains("`alpha.html#extra`"));
    assert!(third > second && !ok, "{errors}");
    assert!(
        errors.contains("content/beta.md:21: the link `alpha.html#extra` (on reports/beta.html) points to no element with id `extra`"),
        "{errors}"
    );
}

/// A served page as `build` writes it: the body without the reload script.
fn served_page(port: u16, path: &str) -> String {
    let response = get(port, path);
    let body = &response[response.find("\r\n\r\n").unwrap() + 4..];
    let start = body.find("<script src=\"/__normbook/reload.js").expect("reload script");
    let end = start + body[start..].find("</script>").unwrap() + "</script>".len();
    format!("{}{}", &body[..start], &body[end..])
}

#[test]
fn a_rebuild_makes_what_a_full_build_makes() {
    let site = fixture("mini");
    std::fs::write(site.path().join("site.toml"), read(site.path().join("site.toml")) + "search = false\n").unwrap();
    let server = start(site.path());
    let pages =
        ["/reports/alpha.html", "/reports/beta.html", "/reports/index.html", "/index.html", "/survey/rule-a.html", "/survey/index.html"];
    let before: Vec<String> = pages.iter().map(|p| served_page(server.port, p)).collect();
    let (first, ..) = status_id(server.port);

    // beta cites alpha's paragraph 2 instead of its item (a): the citer moves between lists.
    let beta = site.path().join("content/beta.md");
    std::fs::write(&beta, read(&beta).replace("[[alpha:2-a]]", "[[alpha:2]]")).unwrap();
    let (moved, ok, errors) = wait_for_build(server.port, first);
    assert!(moved > first && ok, "{errors}");
    assert_as_built(server.port, site.path(), &pages);

    // beta stops citing alpha's paragraphs: alpha's page, unchanged on disk, loses its "Cited in".
    std::fs::write(&beta, read(&beta).replace("[[alpha:2]] and [[alpha:1|the first paragraph of alpha]]", "nothing")).unwrap();
    let (second, ok, errors) = wait_for_build(server.port, moved);
    assert!(second > first && ok, "{errors}");
    let changed = assert_as_built(server.port, site.path(), &pages);
    for ((path, old), new) in pages.iter().zip(&before).zip(&changed) {
        if path.contains("alpha") || path.contains("beta") {
            assert_ne!(new, old, "{path} was not made again");
        }
    }

    // A change that cites nothing new: alpha's page is reused, and still as built.
    std::fs::write(&beta, read(&beta).replace("The group recommends that", "The group recommends, that")).unwrap();
    let (third, ok, errors) = wait_for_build(server.port, second);
    assert!(third > second && ok, "{errors}");
    assert_as_built(server.port, site.path(), &pages);

    // A title changes: the lists of reports show it.
    std::fs::write(&beta, read(&beta).replace("title = \"The beta report\"", "title = \"The renamed beta report\"")).unwrap();
    let (fourth, ok, errors) = wait_for_build(server.port, third);
    assert!(fourth > third && ok, "{errors}");
    let renamed = assert_as_built(server.port, site.path(), &pages);
    assert!(renamed[2].contains("The renamed beta report"), "{}", renamed[2]);

    // The survey cites another paragraph (no document changed): alpha's lists follow.
    let part = site.path().join("survey-spec/part-one.toml");
    std::fs::write(&part, read(&part).replace("guidance = [\"alpha:1\"]", "guidance = [\"alpha:2\"]")).unwrap();
    let (fifth, ok, errors) = wait_for_build(server.port, fourth);
    assert!(fifth > fourth && ok, "{errors}");
    let recited = assert_as_built(server.port, site.path(), &pages);
    assert_ne!(recited[0], renamed[0], "alpha's page was not made again");

    // alpha gains a sub-item: every later paragraph of the library is numbered anew.
    let alpha = site.path().join("content/alpha.md");
    std::fs::write(&alpha, read(&alpha).replace("    (b) Rule two.", "    (b) Rule two;\n\n    (c) Rule three.")).unwrap();
    let (sixth, ok, errors) = wait_for_build(server.port, fifth);
    assert!(sixth > fifth && ok, "{errors}");
    let grown = assert_as_built(server.port, site.path(), &pages);
    assert!(grown[0].contains("Rule three"), "{}", grown[0]);
}

#[test]
fn a_survey_added_while_serving_gets_its_pages() {
    let site = fixture("mini");
    let spec = site.path().join("survey-spec");
    let aside = site.path().join("spec-aside");
    std::fs::rename(&spec, &aside).unwrap();
    let server = start(site.path());
    let (first, ok, errors) = status_id(server.port);
    assert!(ok, "{errors}");
    assert!(get(server.port, "/survey/index.html").starts_with("HTTP/1.1 404"));
    std::fs::rename(&aside, &spec).unwrap();
    let (second, ok, errors) = wait_for_build(server.port, first);
    assert!(second > first && ok, "{errors}");
    assert!(get(server.port, "/survey/index.html").starts_with("HTTP/1.1 200"));
}

/// Asserts that `pages` are served as `normbook build` writes them now; returns them.
fn assert_as_built(port: u16, root: &Path, pages: &[&str]) -> Vec<String> {
    let output = tempfile::tempdir().unwrap();
    let built = normbook(root, &["build", "--quiet", "--output", output.path().to_str().unwrap()]);
    assert!(built.status.success(), "{}", stderr(&built));
    pages
        .iter()
        .map(|path| {
            let served = served_page(port, path);
            assert_eq!(served, read(output.path().join(path.trim_start_matches('/'))), "{path} differs from a full build");
            served
        })
        .collect()
}

#[test]
fn the_build_output_never_carries_the_reload_script() {
    let site = fixture("mini");
    assert!(normbook(site.path(), &["build", "-q"]).status.success());
    for page in ["index.html", "reports/alpha.html", "survey/rule-a.html"] {
        assert!(!read(site.path().join("public").join(page)).contains("__normbook"), "{page}");
    }
}

#[test]
fn escapes_are_refused() {
    let site = fixture("mini");
    let server = start(site.path());
    for path in ["/../site.toml", "/%2e%2e/site.toml", "/reports/..%2f..%2fsite.toml", "/a%5c..%5csite.toml", "/%ff"] {
        let response = get(server.port, path);
        assert!(response.starts_with("HTTP/1.1 400"), "{path}: {response}");
    }
    assert!(get(server.port, "/content/alpha.md").starts_with("HTTP/1.1 404"));
    assert!(get(server.port, "/nothing-here").starts_with("HTTP/1.1 404"));
}

#[test]
fn slow_clients_hold_up_no_one_and_are_closed_when_idle() {
    let site = fixture("mini");
    let server = start(site.path());
    // Two hundred clients that open a connection, send half a request and stall.
    let mut slow: Vec<TcpStream> = (0..200)
        .map(|_| {
            let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
            s.write_all(b"GET /index.html HTTP/1.1\r\nHost: x\r\n").unwrap();
            s
        })
        .collect();
    let page = get(server.port, "/reports/beta.html");
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    // The server closes each after its idle timeout (a few seconds): the read ends, no
    // response given.
    for (i, stream) in slow.iter_mut().enumerate() {
        stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let mut rest = Vec::new();
        match stream.read_to_end(&mut rest) {
            Ok(_) => assert!(rest.is_empty() || rest.starts_with(b"HTTP/1.1 408"), "client {i} got {:?}", String::from_utf8_lossy(&rest)),
            Err(e) => assert_eq!(e.kind(), std::io::ErrorKind::ConnectionReset, "client {i} was not closed: {e}"),
        }
    }
    assert!(get(server.port, "/index.html").starts_with("HTTP/1.1 200"));
}

/// A raw HTTP request of `head` (request line and headers); returns the response's status line.
fn status_line_of(port: u16, head: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    stream.write_all(head.as_bytes()).unwrap();
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    response.lines().next().unwrap_or("").to_string()
}

#[test]
fn requests_with_a_very_long_path_or_headers_are_refused() {
    let site = fixture("mini");
    let server = start(site.path());
    let long_path = format!("/index.html?{}", "x".repeat(9000));
    assert_eq!(
        status_line_of(server.port, &format!("GET {long_path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")),
        "HTTP/1.1 414 URI Too Long"
    );
    let cookies: String = (0..40).map(|i| format!("Cookie: c{i}={}\r\n", "y".repeat(1000))).collect();
    assert_eq!(
        status_line_of(server.port, &format!("GET /index.html HTTP/1.1\r\nHost: x\r\n{cookies}Connection: close\r\n\r\n")),
        "HTTP/1.1 431 Request Header Fields Too Large"
    );
    // Within the limits, the same requests are served.
    let path = format!("/index.html?{}", "x".repeat(7000));
    let cookies: String = (0..20).map(|i| format!("Cookie: c{i}={}\r\n", "y".repeat(1000))).collect();
    assert_eq!(
        status_line_of(server.port, &format!("GET {path} HTTP/1.1\r\nHost: x\r\n{cookies}Connection: close\r\n\r\n")),
        "HTTP/1.1 200 OK"
    );
}

/// The number of pages in the served search index, once one is served.
fn indexed_pages(port: u16) -> Option<u64> {
    let response = get(port, "/pagefind/pagefind-entry.json");
    if !response.starts_with("HTTP/1.1 200") {
        return None;
    }
    let body = &response[response.find("\r\n\r\n").unwrap() + 4..];
    let entry: serde_json::Value = serde_json::from_str(body).unwrap();
    entry["languages"].as_object()?.values().map(|language| language["page_count"].as_u64()).sum()
}

/// Waits until the served index holds `wanted` pages; returns what it holds at the end.
fn wait_for_index(port: u16, wanted: u64) -> Option<u64> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let pages = indexed_pages(port);
        if pages == Some(wanted) || Instant::now() > deadline {
            return pages;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn search_is_indexed_in_the_background_for_the_first_build_and_each_rebuild() {
    let site = fixture("mini");
    let server = start(site.path());
    assert!(get(server.port, "/index.html").starts_with("HTTP/1.1 200"));
    let deadline = Instant::now() + Duration::from_secs(30);
    let before = loop {
        match indexed_pages(server.port) {
            Some(pages) => break pages,
            None if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(50)),
            None => panic!("the first build's search index is never served"),
        }
    };
    assert!(before >= 4, "{before} pages indexed");

    // A new report: once edits pause, the index holds its page too.
    let (id, ..) = status_id(server.port);
    let beta = read(site.path().join("content/beta.md"));
    let gamma = beta.replace("id = \"beta\"", "id = \"gamma\"").replace("A/1/200", "A/1/300").replace("eta report", "amma report");
    std::fs::write(site.path().join("content/gamma.md"), gamma).unwrap();
    let (next, ok, errors) = wait_for_build(server.port, id);
    assert!(next > id && ok, "{errors}");
    assert_eq!(wait_for_index(server.port, before + 1), Some(before + 1));
}

#[test]
fn a_failed_save_while_the_first_index_is_made_does_not_stop_search() {
    let site = fixture("mini");
    // Enough reports that the first index takes a while.
    for i in 0..100 {
        let report = format!(
            "+++\nid = \"extra-{i}\"\nsymbol = \"B/{i}\"\ntitle = \"Extra report {i}\"\norder = {}\n+++\n\n1. {}\n",
            10 + i,
            "Words to index about critical infrastructure and confidence-building measures. ".repeat(40)
        );
        std::fs::write(site.path().join(format!("content/extra-{i}.md")), report).unwrap();
    }
    let server = start(site.path());
    let (first, ok, errors) = status_id(server.port);
    assert!(ok, "{errors}");
    let alpha = site.path().join("content/alpha.md");
    std::fs::write(&alpha, read(&alpha).replace("1. The first", "1. See [[alpha:99]]. The first")).unwrap();
    let (failed, ok, _) = wait_for_build(server.port, first);
    assert!(failed > first && !ok, "the save did not fail");
    assert_eq!(indexed_pages(server.port), None, "indexed before the failed save: the test proves nothing");
    // The first build is still the one served, and its index comes.
    let deadline = Instant::now() + Duration::from_secs(60);
    while indexed_pages(server.port).is_none() {
        assert!(Instant::now() < deadline, "the first build's index never came");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Waits for the build after `after` and returns the page at `path` then.
fn page_after_build(port: u16, after: u64, path: &str) -> (u64, String) {
    let (id, ok, errors) = wait_for_build(port, after);
    assert!(id > after && ok, "{errors}");
    (id, get(port, path))
}

#[test]
fn a_source_folder_removed_or_replaced_while_serving_is_watched_again() {
    let site = fixture("mini");
    std::fs::write(site.path().join("site.toml"), read(site.path().join("site.toml")) + "search = false\n").unwrap();
    let server = start(site.path());
    let content = site.path().join("content");
    let saved = tempfile::tempdir().unwrap();
    copy_dir(&content, saved.path());
    let (mut id, ..) = status_id(server.port);

    // Removed, then restored.
    std::fs::remove_dir_all(&content).unwrap();
    id = wait_for_build(server.port, id).0;
    copy_dir(saved.path(), &content);
    id = wait_for_build_where(server.port, id, |errors| errors.is_empty()).0;
    let alpha = content.join("alpha.md");
    std::fs::write(&alpha, read(&alpha).replace("cites a footnote", "cites a restored footnote")).unwrap();
    let (next, page) = page_after_build(server.port, id, "/reports/alpha.html");
    assert!(page.contains("cites a restored footnote"), "an edit in the restored folder was not built: {page}");

    // Replaced by a rename, as version control does: the old folder moved away, a new one in.
    let replacement = site.path().join("content-new");
    copy_dir(saved.path(), &replacement);
    std::fs::rename(&content, site.path().join("content-old")).unwrap();
    std::fs::rename(&replacement, &content).unwrap();
    id = wait_for_build_where(server.port, next, |errors| errors.is_empty()).0;
    std::fs::write(&alpha, read(&alpha).replace("cites a footnote", "cites a replaced footnote")).unwrap();
    let (_, page) = page_after_build(server.port, id, "/reports/alpha.html");
    assert!(page.contains("cites a replaced footnote"), "an edit in the replacing folder was not built: {page}");
}

#[test]
fn a_static_folder_made_while_serving_is_watched() {
    let site = fixture("mini");
    std::fs::write(site.path().join("site.toml"), read(site.path().join("site.toml")) + "search = false\n").unwrap();
    assert!(!site.path().join("static").exists());
    let server = start(site.path());
    let (id, ..) = status_id(server.port);
    std::fs::create_dir(site.path().join("static")).unwrap();
    std::fs::write(site.path().join("static/note.txt"), "first").unwrap();
    let id = wait_for_build_where(server.port, id, |_| get(server.port, "/note.txt").ends_with("first")).0;
    std::fs::write(site.path().join("static/note.txt"), "second").unwrap();
    let (_, note) = page_after_build(server.port, id, "/note.txt");
    assert!(note.ends_with("\r\n\r\nsecond"), "{note}");
}

/// A port that is free, with the next one free too, and a listener holding the first.
fn busy_port() -> (std::net::TcpListener, u16) {
    for _ in 0..50 {
        let held = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = held.local_addr().unwrap().port();
        if port < 65535 && std::net::TcpListener::bind(("127.0.0.1", port + 1)).is_ok() {
            return (held, port);
        }
    }
    panic!("no two free ports in a row");
}

#[test]
fn a_busy_port_is_named_with_the_one_used_instead() {
    let site = fixture("mini");
    let (_held, port) = busy_port();
    let mut console = Console::start(site.path(), &["--port", &port.to_string()]);
    let lines = console.wait_for("Serving at");
    let next = port + 1;
    assert!(lines.contains(&format!("Port {port} is busy; serving on {next} instead.")), "{lines}");
    assert!(lines.contains(&format!("Serving at http://127.0.0.1:{next}/ (Ctrl-C to stop)")), "{lines}");
    assert!(get(next, "/index.html").starts_with("HTTP/1.1 200"));
}

#[test]
fn the_last_port_is_tried_and_a_failure_says_which_ports_and_why() {
    let site = fixture("mini");
    // Held here (or by someone else: busy either way).
    let _held: Vec<_> = [65534, 65535].iter().filter_map(|port| std::net::TcpListener::bind(("127.0.0.1", *port)).ok()).collect();
    let failed = normbook(site.path(), &["serve", "--port", "65535"]);
    assert!(!failed.status.success());
    assert!(stderr(&failed).contains("Error: cannot start the server: cannot listen on 127.0.0.1:65535: Address"), "{}", stderr(&failed));
    let failed = normbook(site.path(), &["serve", "--port", "65534"]);
    assert!(!failed.status.success());
    assert!(
        stderr(&failed).contains("cannot listen on 127.0.0.1 at any port from 65534 to 65535 (port 65535: Address"),
        "{}",
        stderr(&failed)
    );
}

#[test]
fn a_failed_first_build_says_there_is_no_site_yet_and_recovers() {
    let site = fixture("mini");
    let alpha = site.path().join("content/alpha.md");
    let original = read(&alpha);
    std::fs::write(&alpha, original.replace("1. The first", "1. See [[alpha:99]]. The first")).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut console = Console::start(site.path(), &["--port", &port.to_string()]);
    console.wait_for("The first build failed");
    let lines = console.wait_for("Serving at");
    assert!(lines.contains("content/alpha.md:23: `alpha:99` is not a paragraph"), "{lines}");
    assert!(lines.contains("The first build failed: there is no site to serve yet."), "{lines}");
    assert!(!lines.contains("last good build"), "{lines}");
    let (id, ok, errors) = status_id(port);
    assert!(!ok && errors.contains("`alpha:99`"), "{errors}");
    let page = get(port, "/reports/alpha.html");
    assert!(page.starts_with("HTTP/1.1 500") && page.contains("__normbook/reload.js"), "{page}");
    assert!(get(port, "/__normbook/build").contains("\"last_good\":false"));

    // Another failed save: still no site.
    std::fs::write(&alpha, original.replace("1. The first", "1. See [[alpha:98]]. The first")).unwrap();
    let lines = console.wait_for("No build has succeeded yet: pages show these errors until a save fixes them.");
    assert!(lines.contains("`alpha:98`"), "{lines}");

    let (failed, ..) = status_id(port);
    assert!(failed > id);
    std::fs::write(&alpha, &original).unwrap();
    let (_, ok, errors) = wait_for_build_where(port, failed, str::is_empty);
    assert!(ok, "{errors}");
    let page = get(port, "/reports/alpha.html");
    assert!(page.starts_with("HTTP/1.1 200") && page.contains("cites a footnote"), "{page}");
}

#[test]
fn a_broken_template_keeps_the_last_good_site_served() {
    let site = fixture("mini");
    std::fs::write(site.path().join("site.toml"), read(site.path().join("site.toml")) + "search = false\n").unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut console = Console::start(site.path(), &["--port", &port.to_string()]);
    console.wait_for("Serving at");
    let (id, ok, _) = status_id(port);
    assert!(ok);
    let template = site.path().join("themes/default/templates/report.html");
    std::fs::write(&template, read(&template) + "{% if %}").unwrap();
    let (failed, ok, errors) = wait_for_build(port, id);
    assert!(failed > id && !ok && errors.contains("report.html"), "{errors}");
    let lines = console.wait_for("Serving the last good build.");
    assert!(lines.contains("report.html"), "{lines}");
    let page = get(port, "/reports/alpha.html");
    assert!(page.starts_with("HTTP/1.1 200") && page.contains("cites a footnote"), "{page}");
    assert!(get(port, "/__normbook/build").contains("\"last_good\":true"));
}

/// A change to a source while serving.
enum Save {
    Write(&'static str, Vec<u8>),
    LinkToItsFolder(&'static str),
    Remove(&'static str),
}

fn save(root: &Path, change: &Save) {
    match change {
        Save::Write(path, bytes) => std::fs::write(root.join(path), bytes).unwrap(),
        #[cfg(unix)]
        Save::LinkToItsFolder(path) => std::os::unix::fs::symlink(".", root.join(path)).unwrap(),
        #[cfg(not(unix))]
        Save::LinkToItsFolder(_) => {}
        Save::Remove(path) => std::fs::remove_file(root.join(path)).unwrap(),
    }
}

#[cfg(unix)]
#[test]
fn inputs_that_once_aborted_or_hung_a_build_give_the_overlay_and_keep_the_site_served() {
    let site = fixture("mini");
    let root = site.path();
    std::fs::write(root.join("site.toml"), read(root.join("site.toml")) + "search = false\n").unwrap();
    let server = start(root);
    let (mut last, ok, _) = status_id(server.port);
    assert!(ok);
    let (alpha, beta) = (read(root.join("content/alpha.md")), read(root.join("content/beta.md")));
    let mut not_utf8 = alpha.clone().into_bytes();
    not_utf8[alpha.find("The first").unwrap() + 5] = 0xE9;
    let cases = [
        (
            "paragraphs listed in the front matter but missing: 4-4294967295",
            Save::Write("content/alpha.md", alpha.replace("[\"1-3\"]", "[\"1-4294967295\"]").into_bytes()),
            Save::Write("content/alpha.md", alpha.clone().into_bytes()),
        ),
        (
            "`alpha:1-4294967295`: alpha has no paragraph 4, 5, 6, 7, 8 (and more)",
            Save::Write("content/beta.md", beta.replace("[[alpha:2-a]]", "[[alpha:1-4294967295]]").into_bytes()),
            Save::Write("content/beta.md", beta.clone().into_bytes()),
        ),
        ("content/loop: links back to content/, which holds it", Save::LinkToItsFolder("content/loop"), Save::Remove("content/loop")),
        (
            "macro `again` calls itself whatever the data",
            Save::Write("themes/default/templates/endless.html", b"{% macro again() %}{{ self::again() }}{% endmacro again %}".to_vec()),
            Save::Remove("themes/default/templates/endless.html"),
        ),
        (
            "the text is not UTF-8 (byte 0xE9)",
            Save::Write("content/alpha.md", not_utf8),
            Save::Write("content/alpha.md", alpha.clone().into_bytes()),
        ),
    ];
    for (message, break_it, mend_it) in &cases {
        save(root, break_it);
        let (failed, ok, errors) = wait_for_build_where(server.port, last, |errors| errors.contains(message));
        assert!(failed > last && !ok && errors.contains(message), "{message}: {errors}");
        let page = get(server.port, "/reports/alpha.html");
        assert!(page.starts_with("HTTP/1.1 200") && page.contains("The first paragraph cites a footnote"), "{message}: the last good page");
        save(root, mend_it);
        let (good, ok, errors) = wait_for_build_where(server.port, failed, |errors| errors.is_empty());
        assert!(good > failed && ok, "{message}, mended: {errors}");
        last = good;
    }
}
