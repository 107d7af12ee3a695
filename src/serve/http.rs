//! HTTP for `serve`: maps request paths to files of the in-memory build, with the dev
//! server's own endpoints under `__normbook/`.
//!
//! Files are served from memory, never from disk, so no request can reach outside the
//! site; paths with `..`, encoded or not, backslashes or NUL bytes get 400.

use std::io::{ErrorKind, Read};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::ops::RangeInclusive;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, Sender};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use percent_encoding::percent_decode_str;
use tiny_http::{Header, Request, Response, Server};

use super::{reload, Shared};

/// What a request path asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A file path from the site root.
    File(String),
    /// Outside the base path: send the browser there.
    Redirect(String),
    BadRequest,
}

/// Maps a request URL to a site file; rejects anything that could escape the site.
pub fn target_of(url: &str, base_path: &str) -> Target {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let Ok(decoded) = percent_decode_str(path).decode_utf8() else {
        return Target::BadRequest;
    };
    if !decoded.starts_with('/') || decoded.contains('\\') || decoded.contains('\0') {
        return Target::BadRequest;
    }
    if decoded.split('/').any(|segment| segment == ".." || segment == ".") {
        return Target::BadRequest;
    }
    let Some(rest) = decoded.strip_prefix(base_path) else {
        return if format!("{decoded}/") == base_path || decoded == "/" {
            Target::Redirect(base_path.to_string())
        } else {
            Target::File(String::new())
        };
    };
    if rest.is_empty() || rest.ends_with('/') {
        Target::File(format!("{rest}index.html"))
    } else {
        Target::File(rest.to_string())
    }
}

pub fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "woff2" => "font/woff2",
        "wasm" => "application/wasm",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

/// A listening socket, and what became of the port asked for.
pub struct Listening {
    pub listener: TcpListener,
    pub port: u16,
    /// Why the port asked for is not the one used, when it is not.
    pub note: Option<String>,
}

/// The ports tried for `port`: itself and up to nine after it, 65535 the last.
fn candidates(port: u16) -> RangeInclusive<u16> {
    port..=port.saturating_add(9)
}

/// Listens on `port` or, when it is taken, on the next free one of the nine after it.
pub fn bind(address: &str, port: u16) -> Result<Listening> {
    let mut first_error = None;
    let mut last_error = None;
    for candidate in candidates(port) {
        match TcpListener::bind((address, candidate)) {
            Ok(listener) => {
                // Port 0 lets the system choose.
                let port_used = listener.local_addr().map_or(candidate, |a| a.port());
                let note = first_error.map(|e| skipped(port, candidate, port_used, &e));
                return Ok(Listening { listener, port: port_used, note });
            }
            Err(e) if first_error.is_none() => first_error = Some(e),
            Err(e) => last_error = Some(e),
        }
    }
    let last = *candidates(port).end();
    let why = last_error.or(first_error).map(|e| e.to_string()).unwrap_or_default();
    Err(if last == port {
        anyhow::anyhow!("cannot listen on {address}:{port}: {why}")
    } else {
        anyhow::anyhow!("cannot listen on {address} at any port from {port} to {last} (port {last}: {why})")
    })
}

/// What the terminal is told when port `asked` could not be used (for `first`), nor
/// those after it up to `taken`, which was, as `used`.
fn skipped(asked: u16, taken: u16, used: u16, first: &std::io::Error) -> String {
    let (ports, are) = if taken - asked > 1 { (format!("Ports {asked} to {}", taken - 1), "are") } else { (format!("Port {asked}"), "is") };
    match first.kind() {
        ErrorKind::AddrInUse => format!("{ports} {are} busy; serving on {used} instead."),
        _ => format!("{ports} {are} not available ({first}); serving on {used} instead."),
    }
}

/// How long a connection may stay silent: between requests (keep-alive), within a request
/// sent in part, or while a response waits for the client to read it. Then it is closed.
pub const IDLE: Duration = Duration::from_secs(5);

/// The longest request path (query included) served; longer ones get 414.
pub const MAX_URL: usize = 8 * 1024;

/// The most header bytes a request may carry; more get 431.
pub const MAX_HEADERS: usize = 32 * 1024;

/// Enough workers that a slow or vanished client holds up no one else.
const WORKERS: usize = 8;

/// How often the pool kicker connects; the longest a connection can wait for a thread.
const KICK_EVERY: Duration = Duration::from_millis(50);

/// tiny_http gives each connection a thread from a pool and keeps it while the connection
/// stays open (idle keep-alive included). After a burst of connections the pool can queue
/// one although every thread is held, and it stays queued until a thread is freed. A new
/// connection makes the pool add a thread when none is idle, and that thread then drains
/// the queue: so a connection that closes at once, every few milliseconds, bounds the wait.
/// It also keeps tiny_http's accept from waiting `IDLE` in vain (see `serve_on`), and
/// gives a `watch_accept` probe a thread within that time.
///
/// Why nothing but a connection does it, in tiny_http 0.12.0: connections are read by its
/// private `util::TaskPool`, not by the threads that call `Server::recv` (ours), so more
/// workers of ours change nothing. `TaskPool::spawn` (task_pool.rs:69-77) queues the
/// connection and calls `notify_one` when `waiting_tasks` is above zero; a waiting thread
/// takes itself off that count only once it holds the queue's lock again (the guard made
/// at line 101, dropped after `condvar.wait` returns at line 105). When the accept loop
/// (lib.rs:294-323) spawns twice before a woken thread gets the lock, the second spawn
/// still counts that thread as waiting and notifies no one: its connection waits in the
/// queue until a pool thread comes back to `todo.pop_front()` (line 97), that is until a
/// connection ends, or until the next `spawn`, which only an accepted connection makes.
/// The server cannot end a kept-alive connection to free a thread: `Response::add_header`
/// drops a `Connection` header (response.rs:258), and only the request's own header ends
/// the connection (`ClientConnection::next`, client.rs:251-258). Without the kicker the
/// wait lasts until some connection ends: a silent one after `IDLE`, a polling page's never.
/// Measured with `bench/pool_stall.py target/debug/normbook . 15` (180 requests on new
/// connections): with the kicker the longest wait was 295 ms; without it (its call removed)
/// 9 waited over a second, the longest 4,987 ms (`IDLE`).
fn kick_pool(address: SocketAddr) {
    std::thread::spawn(move || loop {
        std::thread::sleep(KICK_EVERY);
        let _ = TcpStream::connect_timeout(&address, Duration::from_millis(200));
    });
}

/// Gives every connection `listener` accepts from now on read and write timeouts of
/// `idle`. tiny_http reads a request with no timeout, and takes only a listener; but
/// accepted sockets inherit these options from the listening one (Linux, the BSDs).
/// std sets them on streams alone, so they are set through a stream sharing its socket.
fn time_out_connections(listener: &TcpListener, idle: Duration) -> std::io::Result<()> {
    #[cfg(unix)]
    let socket = TcpStream::from(std::os::fd::OwnedFd::from(listener.try_clone()?));
    #[cfg(windows)]
    let socket = TcpStream::from(std::os::windows::io::OwnedSocket::from(listener.try_clone()?));
    socket.set_read_timeout(Some(idle))?;
    socket.set_write_timeout(Some(idle))
}

/// Answers requests on `listener` from now on, on threads of their own.
pub fn start_workers(listener: TcpListener, shared: Arc<Shared>) -> Result<()> {
    let mut address = listener.local_addr()?;
    if address.ip().is_unspecified() {
        address.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
    }
    let restart = serve_on(listener, IDLE, shared)?;
    kick_pool(address);
    watch_accept(address, IDLE, restart);
    Ok(())
}

/// Serves `listener` with tiny_http, connections closed after `idle` of silence; returns
/// the way to have a new server take over.
///
/// tiny_http's accept loop ends at its first error, or by a panic when it runs out of file
/// descriptors; and on Linux the listener's timeout makes an accept that waits `idle` for
/// a connection an error (the pool kicker connects far more often). A new server then
/// takes the socket over, after a pause (by then idle connections have given back their
/// descriptors). The old one's workers answer its open connections, and leave once it has
/// had no request for twice `idle` (every connection then closed).
fn serve_on(listener: TcpListener, idle: Duration, shared: Arc<Shared>) -> Result<Sender<()>> {
    time_out_connections(&listener, idle).context("cannot set the connection timeout")?;
    let mut server = tiny_http_on(&listener)?;
    let (restart, restarts) = channel();
    let stopped = restart.clone();
    std::thread::spawn(move || loop {
        let retired = Arc::new(AtomicBool::new(false));
        for _ in 0..WORKERS {
            let (server, shared, stopped, retired) = (server.clone(), shared.clone(), stopped.clone(), retired.clone());
            std::thread::spawn(move || loop {
                match server.recv_timeout(idle * 2) {
                    Ok(Some(request)) => answer(request, &shared),
                    Ok(None) if retired.load(Ordering::Relaxed) => return,
                    Ok(None) => {}
                    Err(_) => {
                        let _ = stopped.send(());
                    }
                }
            });
        }
        let _ = restarts.recv();
        retired.store(true, Ordering::Relaxed);
        server = loop {
            std::thread::sleep(RESTART_AFTER);
            match tiny_http_on(&listener) {
                Ok(next) => break next,
                Err(e) => eprintln!("Error: the server cannot accept connections: {e:#}; trying again"),
            }
        };
        while restarts.try_recv().is_ok() {}
    });
    Ok(restart)
}

/// How often `watch_accept` checks that connections are accepted.
const WATCH_EVERY: Duration = Duration::from_secs(1);

/// Has a new server take over when connections stop being accepted (tiny_http's accept
/// loop ended by a panic, which tells no one): a connection that sends nothing is closed
/// at once by a live server, and left waiting (`wait` at most) by a dead one, or not even
/// made once the pool kicker has filled the queue of connections waiting to be accepted.
fn watch_accept(address: SocketAddr, wait: Duration, restart: Sender<()>) {
    let timed_out = |e: &std::io::Error| matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut);
    std::thread::spawn(move || loop {
        std::thread::sleep(WATCH_EVERY);
        let accepted = match TcpStream::connect_timeout(&address, wait) {
            Ok(mut probe) => {
                let _ = probe.shutdown(std::net::Shutdown::Write);
                let _ = probe.set_read_timeout(Some(wait));
                probe.read(&mut [0u8; 1]).map_or_else(|e| !timed_out(&e), |_| true)
            }
            Err(e) => !timed_out(&e),
        };
        if !accepted && restart.send(()).is_err() {
            return;
        }
    });
}

/// The pause before a server takes over from one that stopped accepting.
const RESTART_AFTER: Duration = Duration::from_millis(500);

fn tiny_http_on(listener: &TcpListener) -> Result<Arc<Server>> {
    let server = Server::from_listener(listener.try_clone()?, None).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(Arc::new(server))
}

/// Answers one request: refused when its path or headers are too long, else `respond`.
fn answer(request: Request, shared: &Shared) {
    let header_bytes: usize = request.headers().iter().map(|h| h.field.as_str().as_str().len() + h.value.as_str().len() + 4).sum();
    let response = if request.url().len() > MAX_URL {
        bytes(414, "text/plain; charset=utf-8", b"414 URI Too Long".to_vec())
    } else if header_bytes > MAX_HEADERS {
        bytes(431, "text/plain; charset=utf-8", b"431 Request Header Fields Too Large".to_vec())
    } else {
        respond(request.url(), shared)
    };
    let _ = request.respond(response);
}

fn bytes(status: u16, content_type: &str, body: Vec<u8>) -> Response<std::io::Cursor<Vec<u8>>> {
    Response::from_data(body)
        .with_status_code(status)
        .with_header(header("Content-Type", content_type))
        .with_header(header("Cache-Control", "no-store"))
}

/// The response to a request for `url`.
pub fn respond(url: &str, shared: &Shared) -> Response<std::io::Cursor<Vec<u8>>> {
    // `publish` swaps the site while holding the status lock, so these two agree.
    let (site, build_id) = {
        let status = shared.status.read().expect("lock");
        (shared.site.read().expect("lock").clone(), status.id)
    };
    let base = site.as_ref().map_or(shared.fallback_base.as_str(), |s| s.base_path.as_str()).to_string();
    let path = match target_of(url, &base) {
        Target::BadRequest => return bytes(400, "text/plain; charset=utf-8", b"400 Bad Request".to_vec()),
        Target::Redirect(to) => return bytes(302, "text/plain; charset=utf-8", Vec::new()).with_header(header("Location", &to)),
        Target::File(path) => path,
    };
    if let Some(own) = path.strip_prefix(reload::PREFIX) {
        return match own {
            "build" => bytes(200, "application/json", serde_json::to_vec(&*shared.status.read().expect("lock")).expect("JSON")),
            "reload.js" => bytes(200, content_type("x.js"), reload::SCRIPT.as_bytes().to_vec()),
            "reload.css" => bytes(200, content_type("x.css"), reload::STYLE.as_bytes().to_vec()),
            _ => bytes(404, "text/plain; charset=utf-8", b"404 Not Found".to_vec()),
        };
    }
    let Some(site) = site else {
        return bytes(500, content_type("x.html"), reload::no_site_page(&base, build_id));
    };
    let found = site.files.get(&path).map(|b| (path.clone(), b)).or_else(|| {
        let index = format!("{path}/index.html");
        site.files.get(&index).map(|b| (index, b))
    });
    let (status, path, body) = match found {
        Some((path, body)) => (200, path, body),
        None => match site.files.get("404.html") {
            Some(body) => (404, "404.html".to_string(), body),
            None => return bytes(404, "text/plain; charset=utf-8", b"404 Not Found".to_vec()),
        },
    };
    let body = if path.ends_with(".html") { reload::inject(body, &base, build_id) } else { body.to_vec() };
    bytes(status, content_type(&path), body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn ports_tried_end_at_the_last_port() {
        assert_eq!(candidates(1111), 1111..=1120);
        assert_eq!(candidates(65530), 65530..=65535);
        assert_eq!(candidates(65535), 65535..=65535);
    }

    #[test]
    fn ports_passed_over_are_named() {
        let busy = std::io::Error::from(ErrorKind::AddrInUse);
        assert_eq!(skipped(1111, 1112, 1112, &busy), "Port 1111 is busy; serving on 1112 instead.");
        assert_eq!(skipped(1111, 1114, 1114, &busy), "Ports 1111 to 1113 are busy; serving on 1114 instead.");
        let denied = std::io::Error::from(ErrorKind::PermissionDenied);
        assert_eq!(skipped(80, 81, 81, &denied), "Port 80 is not available (permission denied); serving on 81 instead.");
    }

    fn answered(address: SocketAddr) -> String {
        let mut stream = TcpStream::connect(address).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        stream.write_all(b"GET /__normbook/build HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
        let mut response = String::new();
        let _ = stream.read_to_string(&mut response);
        response
    }

    #[test]
    fn a_server_that_accepts_nothing_is_noticed() {
        let dead = TcpListener::bind("127.0.0.1:0").unwrap();
        let (restart, restarts) = channel();
        watch_accept(dead.local_addr().unwrap(), Duration::from_millis(100), restart);
        assert_eq!(restarts.recv_timeout(Duration::from_secs(10)), Ok(()));

        let live = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = live.local_addr().unwrap();
        let (restart, restarts) = channel();
        let _server = tiny_http_on(&live).unwrap();
        watch_accept(address, Duration::from_secs(5), restart);
        // Three probes answered, none failed.
        std::thread::sleep(WATCH_EVERY * 3 + WATCH_EVERY / 2);
        assert!(restarts.try_recv().is_err());
    }

    #[test]
    fn a_server_whose_accept_loop_stopped_is_taken_over() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        let shared = Arc::new(Shared {
            site: std::sync::RwLock::new(None),
            status: std::sync::RwLock::new(reload::Status { id: 3, ok: false, errors: String::new(), last_good: false }),
            fallback_base: "/".into(),
            indexing: std::sync::Mutex::new(()),
        });
        let idle = Duration::from_millis(100);
        serve_on(listener, idle, shared).unwrap();
        // No connection for longer than the timeout, and no kicker: on Linux tiny_http's
        // accept loop ends, again and again.
        for _ in 0..3 {
            std::thread::sleep(idle * 3);
            let response = answered(address);
            assert!(response.starts_with("HTTP/1.1 200") && response.contains("\"id\":3"), "{response}");
        }
    }

    #[test]
    fn request_paths() {
        let cases = [
            ("/", "/", Target::File("index.html".into())),
            ("/reports/gge-2021.html?x=1#p", "/", Target::File("reports/gge-2021.html".into())),
            ("/reports/", "/", Target::File("reports/index.html".into())),
            ("/handbook/reports/a.html", "/handbook/", Target::File("reports/a.html".into())),
            ("/", "/handbook/", Target::Redirect("/handbook/".into())),
            ("/handbook", "/handbook/", Target::Redirect("/handbook/".into())),
            ("/../etc/passwd", "/", Target::BadRequest),
            ("/%2e%2e/etc/passwd", "/", Target::BadRequest),
            ("/a/..%2f..%2fetc", "/", Target::BadRequest),
            ("/a%5c..%5cb", "/", Target::BadRequest),
            ("/%ff", "/", Target::BadRequest),
            ("http://x/", "/", Target::BadRequest),
        ];
        for (url, base, want) in cases {
            assert_eq!(target_of(url, base), want, "{url}");
        }
    }
}
