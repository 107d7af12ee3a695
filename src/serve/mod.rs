//! `serve`: builds the site in memory, serves it on a local address, watches the sources,
//! rebuilds on change and reloads open pages.
//!
//! Threads: a pool of HTTP workers (`http`), and this one, which waits for bursts of
//! changes (`watch`) and swaps in each good build whole, so a page never sees half a
//! build. A failed rebuild keeps the last good site and reports its errors to the terminal
//! and, through the reload script, to the page (`reload`).

pub mod http;
pub mod memo;
pub mod reload;
pub mod watch;

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::build::{render_site_with, Overrides, Site};
use crate::error::Failed;
use crate::output::OutFile;
use crate::render::assets::is_versioned;
use memo::BuildMemo;
use reload::Status;
use watch::{ChangeKind, Watch};

/// A build as served: files by path.
pub struct Served {
    pub files: HashMap<String, Arc<Vec<u8>>>,
    pub base_path: String,
    pub page_count: usize,
    pub search: bool,
    pub language: String,
    /// True once this build's own search index is in `files`.
    pub indexed: bool,
}

impl Served {
    fn from_site(site: Site) -> Served {
        Served {
            base_path: site.config.base_path.clone(),
            page_count: site.page_count,
            search: site.config.search,
            language: site.config.language.clone(),
            files: site.files.into_iter().map(|f| (f.path, f.bytes)).collect(),
            indexed: false,
        }
    }

    /// Everything but the files.
    fn clone_meta(&self) -> Served {
        Served {
            files: HashMap::new(),
            base_path: self.base_path.clone(),
            page_count: self.page_count,
            search: self.search,
            language: self.language.clone(),
            indexed: self.indexed,
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
    /// Held while a search index is made.
    pub indexing: Mutex<()>,
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
    // A folder with no handbook at all is a mistake of folder, not a build to wait on.
    if !root.join(crate::config::CONFIG_FILE).exists() {
        return Err(Failed::new(vec![crate::config::not_a_handbook(root)]).into());
    }
    let started = Instant::now();
    let mut memo = BuildMemo::default();
    let first = rebuild(root, None, &mut memo, None);
    let fallback_base = crate::build::load_config(root, &Overrides::default()).map(|c| c.base_path).unwrap_or_else(|_| "/".into());
    let shared = Arc::new(Shared {
        site: RwLock::new(None),
        status: RwLock::new(Status { id: 0, ok: true, errors: String::new(), last_good: false }),
        fallback_base,
        indexing: Mutex::new(()),
    });
    let mut watch = Watch::start(root)?;
    let listening = http::bind(&options.address, options.port).context("cannot start the server")?;
    publish(&shared, first, started, &say);
    let base = current_base(&shared);
    let url = format!("http://{}:{}{base}", options.address, listening.port);
    if let Some(note) = listening.note {
        say(note);
    }
    say(format!("Serving at {url} (Ctrl-C to stop); watching {} and site.toml", watch::WATCHED.join("/, ") + "/"));
    http::start_workers(listening.listener, shared.clone()).context("cannot start the server")?;
    // The pages are served at once; search, once its index is made (a minute and more for
    // thousands of pages).
    if let Some(site) = served(&shared) {
        index_in_background(&shared, site, Duration::ZERO, options.quiet);
    }
    if options.open {
        open_browser(&url);
    }
    while let Some(kind) = watch.next_burst() {
        let started = Instant::now();
        let result = rebuild(root, Some(kind), &mut memo, served(&shared));
        let good = result.is_ok();
        publish(&shared, result, started, &say);
        if let Some(site) = served(&shared).filter(|_| good) {
            // Once edits pause: indexing a large site takes seconds, and the next save should
            // not wait for it nor share the processor with it. After every good build, static
            // ones too: a newer one makes a pending index give up.
            index_in_background(&shared, site, INDEX_AFTER_QUIET, options.quiet);
        }
    }
    Ok(())
}

fn current_base(shared: &Shared) -> String {
    let site = shared.site.read().expect("lock");
    site.as_ref().map(|s| s.base_path.clone()).unwrap_or_else(|| shared.fallback_base.clone())
}

/// The build after a change of `kind` (`None`: the first), as little of it as the change
/// needs. A crash of the build code (a bug) is a failed build too: the server, and the last
/// good site, stay; what the memo kept is dropped, as the crash may have left it half made.
fn rebuild(root: &Path, kind: Option<ChangeKind>, memo: &mut BuildMemo, last: Option<Arc<Served>>) -> Result<Site, String> {
    let attempt = catch_crash(|| {
        let statics = match kind {
            Some(ChangeKind::Static) => last.and_then(|last| rebuild_static(root, &last)),
            Some(ChangeKind::Site | ChangeKind::Config) => {
                memo.forget_theme();
                None
            }
            Some(ChangeKind::Content) | None => None,
        };
        statics.unwrap_or_else(|| render_site_with(root, &Overrides::default(), memo))
    });
    match attempt {
        Ok(result) => result.map_err(|failed| failed.to_string()),
        Err(report) => {
            *memo = BuildMemo::default();
            Err(report)
        }
    }
}

/// Runs `work`; a panic in it (on this thread, or on the pool's threads it waits for)
/// comes back as what to tell the user. The terminal has the panic's place already.
fn catch_crash<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).map_err(|panic| {
        let what = panic.downcast_ref::<&str>().copied().or_else(|| panic.downcast_ref::<String>().map(String::as_str)).unwrap_or("no message");
        format!("the build crashed: {what}\nThis is a bug in normbook, set off by the sources as they are now: undo or change the last edit, and save again.")
    })
}

/// After a change to static files alone: the `last` build with those files copied again.
/// `None` when a full rebuild is needed instead (unreadable files, or a changed stylesheet
/// or script, whose new version the pages must link).
fn rebuild_static(root: &Path, last: &Served) -> Option<Result<Site, Failed>> {
    let (config, statics) = crate::build::static_files(root, &Overrides::default()).ok()?;
    // Pages link stylesheets and scripts by their versions: a changed one needs new pages.
    let relinked = |file: &OutFile| is_versioned(&file.path) && last.files.get(&file.path) != Some(&file.bytes);
    if statics.iter().any(relinked) {
        return None;
    }
    let mut files = last.files.clone();
    for file in statics {
        files.insert(file.path, file.bytes);
    }
    let files = files.into_iter().map(|(path, bytes)| crate::output::OutFile { path, bytes }).collect();
    Some(Ok(Site { config, files, page_count: last.page_count }))
}

/// Makes a build the served one, or records its failure; tells the terminal either way.
fn publish(shared: &Shared, result: Result<Site, String>, started: Instant, say: &dyn Fn(String)) {
    let mut status = shared.status.write().expect("lock");
    status.id += 1;
    match result {
        Ok(site) => {
            let pages = site.page_count;
            let mut served = Served::from_site(site);
            let mut current = shared.site.write().expect("lock");
            // Until the new index is made, the last one serves.
            if let Some(last) = current.as_ref() {
                for (path, bytes) in last.files.iter().filter(|(p, _)| p.starts_with(SEARCH_PREFIX)) {
                    served.files.entry(path.clone()).or_insert_with(|| bytes.clone());
                }
            }
            *current = Some(Arc::new(served));
            drop(current);
            status.ok = true;
            status.last_good = true;
            status.errors.clear();
            say(format!("Built {pages} pages in {} ms", started.elapsed().as_millis()));
        }
        Err(errors) => {
            status.ok = false;
            status.errors = errors;
            let served = if status.last_good {
                "Serving the last good build."
            } else if status.id == 1 {
                "The first build failed: there is no site to serve yet. Pages show these errors until a save fixes them."
            } else {
                "No build has succeeded yet: pages show these errors until a save fixes them."
            };
            eprintln!("Error: {}\n{served}", status.errors);
        }
    }
}

/// The site served now.
fn served(shared: &Shared) -> Option<Arc<Served>> {
    shared.site.read().expect("lock").clone()
}

/// `index_search` of `site` on a thread of its own, `after` a pause.
fn index_in_background(shared: &Arc<Shared>, site: Arc<Served>, after: Duration, quiet: bool) {
    let shared = Arc::clone(shared);
    std::thread::spawn(move || {
        std::thread::sleep(after);
        index_search(&shared, &site, quiet)
    });
}

/// Indexes `site`, the served site, and swaps the new search bundle in. Pages are
/// published first (with the previous bundle), so the reload does not wait for the
/// index. One index is made at a time, and none for a site that a newer good build has
/// replaced (a failed build replaces nothing). Unless `quiet`, tells the terminal when
/// search is ready.
fn index_search(shared: &Shared, site: &Arc<Served>, quiet: bool) {
    let stale = || served(shared).is_none_or(|current| !Arc::ptr_eq(&current, site));
    let _one_at_a_time = shared.indexing.lock().unwrap_or_else(|e| e.into_inner());
    let started = Instant::now();
    if !site.search || site.indexed || stale() {
        return;
    }
    let pages: Vec<OutFile> = site
        .files
        .iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(path, bytes)| OutFile { path: path.clone(), bytes: bytes.clone() })
        .collect();
    match crate::search::index_unless(&pages, &site.language, &stale) {
        Ok(Some(bundle)) => {
            let mut guard = shared.site.write().expect("lock");
            if let Some(current) = guard.as_ref() {
                if Arc::ptr_eq(current, site) {
                    let mut files = site.files.clone();
                    files.retain(|path, _| !path.starts_with(SEARCH_PREFIX));
                    files.extend(bundle.into_iter().map(|f| (f.path, f.bytes)));
                    *guard = Some(Arc::new(Served { files, indexed: true, ..Served::clone_meta(site) }));
                    if !quiet {
                        println!("Search index made in {} ms", started.elapsed().as_millis());
                    }
                }
            }
        }
        Ok(None) => {}
        Err(e) => eprintln!("Error: search index: {e:#}"),
    }
}

const SEARCH_PREFIX: &str = "pagefind/";

/// How long the sources must rest after a rebuild before its search index is made.
const INDEX_AFTER_QUIET: Duration = Duration::from_millis(1500);

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

#[cfg(test)]
mod tests {
    use super::*;
    use rayon::prelude::*;

    #[test]
    fn a_crash_in_the_build_becomes_a_report() {
        assert_eq!(catch_crash(|| 7), Ok(7));
        let report = catch_crash(|| -> usize { panic!("range too large: {}", 4294967295u32) }).unwrap_err();
        assert!(report.starts_with("the build crashed: range too large: 4294967295\nThis is a bug in normbook"), "{report}");
        // Pages are rendered on rayon's threads: a panic there reaches the build's caller.
        let report =
            catch_crash(|| (0..64).into_par_iter().map(|i| if i == 63 { panic!("page {i}") } else { i }).sum::<i32>()).unwrap_err();
        assert!(report.starts_with("the build crashed: page 63\n"), "{report}");
    }
}
