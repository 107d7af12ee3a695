//! `serve`: builds the site in memory and serves it over HTTP on a local address.
//!
//! Files are served from the in-memory build, never from disk, so no request can reach
//! outside the site. (Watching sources and live reload are not here yet.)

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, Result};
use percent_encoding::percent_decode_str;
use tiny_http::{Header, Response, Server};

use crate::build::{render_site, Overrides};
use crate::output::OutFile;

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

/// Binds `port` or, when it is taken, the next free one of the ten after it.
fn bind(address: &str, port: u16) -> Result<(Server, u16)> {
    let mut last_error = None;
    for candidate in port..port.saturating_add(10) {
        match Server::http((address, candidate)) {
            Ok(server) => return Ok((server, candidate)),
            Err(e) => last_error = Some(e),
        }
    }
    Err(anyhow::anyhow!(
        "cannot listen on {address}:{port} or the nine ports after it: {}",
        last_error.map(|e| e.to_string()).unwrap_or_default()
    ))
}

pub fn serve(root: &Path, address: &str, port: u16, quiet: bool) -> Result<()> {
    let site = render_site(root, &Overrides::default())?;
    let base_path = site.config.base_path.clone();
    let files: HashMap<String, OutFile> = site.files.into_iter().map(|f| (f.path.clone(), f)).collect();
    let (server, port) = bind(address, port).context("cannot start the server")?;
    if !quiet {
        println!("Serving {} pages at http://{address}:{port}{base_path} (Ctrl-C to stop)", site.page_count);
    }
    for request in server.incoming_requests() {
        let response = match target_of(request.url(), &base_path) {
            Target::BadRequest => Response::from_string("400 Bad Request").with_status_code(400).boxed(),
            Target::Redirect(to) => Response::empty(302).with_header(header("Location", &to)).boxed(),
            Target::File(path) => match files.get(&path).or_else(|| files.get(&format!("{path}/index.html"))) {
                Some(file) => Response::from_data(file.bytes.clone()).with_header(header("Content-Type", content_type(&file.path))).boxed(),
                None => match files.get("404.html") {
                    Some(page) => Response::from_data(page.bytes.clone())
                        .with_header(header("Content-Type", content_type("404.html")))
                        .with_status_code(404)
                        .boxed(),
                    None => Response::from_string("404 Not Found").with_status_code(404).boxed(),
                },
            },
        };
        let _ = request.respond(response);
    }
    Ok(())
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
