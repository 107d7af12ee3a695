//! `serve`: builds the site in memory, serves it on a local address, watches the sources,
//! rebuilds on change and reloads open pages.
//!
//! Threads: a pool of HTTP workers (`http`), and this one, which waits for bursts of
//! changes (`watch`) and swaps in each good build whole, so a page never sees half a
//! build. A failed rebuild keeps the last good site and reports its errors to the terminal
//! and, through the reload script, to the page (`reload`).

pub mod http;
pub mod reload;
pub mod watch;

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, RwLock};
use std::time::Instant;

use anyhow::{Context, Result};

use crate::build::{render_site_with, Overrides, Site};
use crate::error::Failed;
use reload::Status;
use watch::{ChangeKind, Watch};

/// A build as served: files by path.
pub struct Served {
    pub files: HashMap<String, Vec<u8>>,
    pub base_path: String,
    pub page_count: usize,
}

impl Served {
    fn from_site(site: Site) -> Served {
        Served {
            base_path: site.config.base_path.clone(),
            page_count: site.page_count,
            files: site.files.into_iter().map(|f| (f.path, f.bytes)).collect(),
        }
    }
}

/// What the workers read and the rebuild loop writes.
pub struct Shared {
    /// The last good build, if there has been one.
    pub site: RwLock<Option<Arc<Served>>>,
    pub status: RwLock<Status>,
    /// The base path to serve under while there is no good build.
    pub fallback_base: String,
}

/// Options of `normbook serve`.
pub struct Options {
    pub address: String,
    pub port: u16,
    pub open: bool,
    pub quiet: bool,
}

pub fn serve(root: &Path, options: &Options) -> Result<()> {
    let say = |text: String| {
        if !options.quiet {
            println!("{text}");
        }
    };
    let started = Instant::now();
    let (first, mut theme) = render_site_with(root, &Overrides::default(), None);
    let fallback_base = crate::build::load_config(root, &Overrides::default()).map(|c| c.base_path).unwrap_or_else(|_| "/".into());
    let shared =
        Arc::new(Shared { site: RwLock::new(None), status: RwLock::new(Status { id: 0, ok: true, errors: String::new() }), fallback_base });
    let watch = Watch::start(root)?;
    let (server, port) = http::bind(&options.address, options.port).context("cannot start the server")?;
    publish(&shared, first, started, &say);
    let base = current_base(&shared);
    let url = format!("http://{}:{port}{base}", options.address);
    say(format!("Serving at {url} (Ctrl-C to stop); watching {} and site.toml", watch::WATCHED.join("/, ") + "/"));
    http::start_workers(server, shared.clone());
    if options.open {
        open_browser(&url);
    }
    while let Some(kind) = watch.next_burst() {
        let started = Instant::now();
        let result = match kind {
            ChangeKind::Static => rebuild_static(root, &shared),
            ChangeKind::Content => None,
            ChangeKind::Site | ChangeKind::Config => {
                theme = None;
                None
            }
        };
        let result = result.unwrap_or_else(|| {
            let (result, used) = render_site_with(root, &Overrides::default(), theme.take());
            theme = used;
            result
        });
        publish(&shared, result, started, &say);
    }
    Ok(())
}

fn current_base(shared: &Shared) -> String {
    let site = shared.site.read().expect("lock");
    site.as_ref().map(|s| s.base_path.clone()).unwrap_or_else(|| shared.fallback_base.clone())
}

/// After a change to static files alone: the last build with those files copied again.
/// `None` when a full rebuild is needed instead (no good build yet, or unreadable files).
fn rebuild_static(root: &Path, shared: &Shared) -> Option<Result<Site, Failed>> {
    let last = shared.site.read().expect("lock").clone()?;
    let (config, statics) = crate::build::static_files(root, &Overrides::default()).ok()?;
    let mut files = last.files.clone();
    for file in statics {
        files.insert(file.path, file.bytes);
    }
    let files = files.into_iter().map(|(path, bytes)| crate::output::OutFile { path, bytes }).collect();
    Some(Ok(Site { config, files, page_count: last.page_count }))
}

/// Makes a build the served one, or records its failure; tells the terminal either way.
fn publish(shared: &Shared, result: Result<Site, Failed>, started: Instant, say: &dyn Fn(String)) {
    let mut status = shared.status.write().expect("lock");
    status.id += 1;
    match result {
        Ok(site) => {
            let pages = site.page_count;
            *shared.site.write().expect("lock") = Some(Arc::new(Served::from_site(site)));
            status.ok = true;
            status.errors.clear();
            say(format!("Built {pages} pages in {} ms", started.elapsed().as_millis()));
        }
        Err(failed) => {
            status.ok = false;
            status.errors = failed.to_string();
            eprintln!("Error: {failed}\nServing the last good build.");
        }
    }
}

fn open_browser(url: &str) {
    let command = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(command).arg(url).spawn() {
        eprintln!("Could not open a browser ({command}: {e}); open {url} yourself.");
    }
}
