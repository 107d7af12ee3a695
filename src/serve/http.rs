//! HTTP for `serve`: maps request paths to files of the in-memory build, with the dev
//! server's own endpoints under `__normbook/`.
//!
//! Files are served from memory, never from disk, so no request can reach outside the
//! site; paths with `..`, encoded or not, backslashes or NUL bytes get 400.

use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Result;
use percent_encoding::percent_decode_str;
use tiny_http::{Header, Response, Server};

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

fn listen(address: &str, port: u16) -> std::io::Result<Server> {
    Server::http((address, port)).map_err(|e| std::io::Error::other(e.to_string()))
}

/// Binds `port` or, when it is taken, the next free one of the ten after it.
pub fn bind(address: &str, port: u16) -> Result<(Server, u16)> {
    let mut last_error = None;
    for candidate in port..port.saturating_add(10) {
        match listen(address, candidate) {
            Ok(server) => return Ok((server, candidate)),
            Err(e) => last_error = Some(e),
        }
    }
    let detail = last_error.map(|e| e.to_string()).unwrap_or_default();
    Err(anyhow::anyhow!("cannot listen on {address}:{port} or the nine ports after it: {detail}"))
}

/// Enough workers that a slow or vanished client holds up no one else.
const WORKERS: usize = 8;

/// How often the pool kicker connects; the longest a connection can wait for a thread.
const KICK_EVERY: Duration = Duration::from_millis(50);

/// tiny_http gives each connection a thread from a pool and keeps it while the connection
/// stays open (idle keep-alive included). After a burst of connections the pool can queue
/// one although every thread is held, and it stays queued until a thread is freed. A new
/// connection makes the pool add a thread when none is idle, and that thread then drains
/// the queue: so a connection that closes at once, every few milliseconds, bounds the wait.
fn kick_pool(address: SocketAddr) {
    std::thread::spawn(move || loop {
        std::thread::sleep(KICK_EVERY);
        let _ = TcpStream::connect_timeout(&address, Duration::from_millis(200));
    });
}

pub fn start_workers(server: Server, shared: Arc<Shared>) {
    if let Some(mut address) = server.server_addr().to_ip() {
        if address.ip().is_unspecified() {
            address.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
        }
        kick_pool(address);
    }
    let server = Arc::new(server);
    for _ in 0..WORKERS {
        let server = server.clone();
        let shared = shared.clone();
        std::thread::spawn(move || {
            while let Ok(request) = server.recv() {
                let response = respond(request.url(), &shared);
                let _ = request.respond(response);
            }
        });
    }
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
