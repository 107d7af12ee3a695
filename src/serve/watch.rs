//! Watching the sources: notify events, filtered and gathered into one burst per save.
//!
//! notify also reports reads (access events), so a rebuild that reads its sources would
//! trigger itself: those are dropped. Editors save through temporary files and renames,
//! so folders are watched (never single files) and their scratch files ignored. A burst of
//! events ends after a quiet period, giving one rebuild per save.
//!
//! A watch follows a folder, not its name: a source folder removed and made again, or
//! replaced by a rename (as version control and some editors do), would go unwatched. The
//! root is watched too, so a source folder that appears there, again or for the first
//! time, is watched from then on.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::Duration;

use anyhow::{Context, Result};
use notify::event::{CreateKind, ModifyKind, RenameMode};
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};

/// How long the sources must stay untouched before a burst of changes is taken as done.
pub const QUIET: Duration = Duration::from_millis(30);

/// What changed, in order of how much must be rebuilt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    /// `static/` or a theme's `static/`: copy the files again.
    Static,
    /// Content or the survey spec: render the site again with the same templates.
    Content,
    /// Templates: compile them and render the site again.
    Site,
    /// `site.toml`: settings may change everything, base path included.
    Config,
}

/// The folders `serve` watches (recursively) and the root (for site.toml).
pub const WATCHED: &[&str] = &["content", "survey-spec", "themes", "static"];

/// True for editors' scratch and backup files, which never change the site.
pub fn is_scratch(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else { return true };
    name.starts_with(".#")
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
        || name == ".DS_Store"
}

/// What a changed path (relative to the root) asks for; `None` when it does not matter.
pub fn change_kind(rel: &Path) -> Option<ChangeKind> {
    if is_scratch(rel) {
        return None;
    }
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned());
    let first = parts.next()?;
    match first.as_str() {
        "site.toml" => Some(ChangeKind::Config),
        "content" | "survey-spec" => Some(ChangeKind::Content),
        "static" => Some(ChangeKind::Static),
        "themes" => {
            let _theme = parts.next();
            match parts.next().as_deref() {
                Some("static") => Some(ChangeKind::Static),
                Some(_) => Some(ChangeKind::Site),
                None => Some(ChangeKind::Site),
            }
        }
        _ => None,
    }
}

/// A running watcher and the channel its events arrive on.
pub struct Watch {
    root: PathBuf,
    events: Receiver<notify::Result<notify::Event>>,
    watcher: RecommendedWatcher,
}

/// True for an event by which a path may have come into being (created, or renamed to).
fn appears(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::Create(CreateKind::Folder | CreateKind::Any | CreateKind::Other)
            | EventKind::Modify(ModifyKind::Name(RenameMode::To | RenameMode::Both | RenameMode::Any | RenameMode::Other))
    )
}

/// True for a watched source folder itself (`content`), not a path inside one.
fn is_source_folder(rel: &Path) -> bool {
    let mut parts = rel.components();
    matches!((parts.next(), parts.next()), (Some(first), None) if WATCHED.iter().any(|dir| first.as_os_str() == *dir))
}

impl Watch {
    pub fn start(root: &Path) -> Result<Watch> {
        let root = root.canonicalize().with_context(|| format!("cannot open {}", root.display()))?;
        let (tx, events) = channel();
        let mut watcher = notify::recommended_watcher(tx).context("cannot watch the sources")?;
        watcher.watch(&root, RecursiveMode::NonRecursive).context("cannot watch the site folder")?;
        for dir in WATCHED {
            let path = root.join(dir);
            if path.is_dir() {
                watcher.watch(&path, RecursiveMode::Recursive).with_context(|| format!("cannot watch {dir}/"))?;
            }
        }
        Ok(Watch { root, events, watcher })
    }

    /// Watches `dir` of the root, a source folder that has just appeared. Best effort: if
    /// it is gone again, its next appearance brings another try.
    fn watch_again(&mut self, dir: &Path) {
        let path = self.root.join(dir);
        if path.is_dir() {
            // notify has dropped the watch of the folder it replaced; a stale one is replaced.
            let _ = self.watcher.unwatch(&path);
            let _ = self.watcher.watch(&path, RecursiveMode::Recursive);
        }
    }

    fn kinds_of(&mut self, event: notify::Result<notify::Event>) -> Vec<ChangeKind> {
        let Ok(event) = event else { return Vec::new() };
        if event.need_rescan() {
            // Events were lost (the kernel's queue overflowed): watch every folder anew and
            // build everything again.
            WATCHED.iter().for_each(|dir| self.watch_again(Path::new(dir)));
            return vec![ChangeKind::Config];
        }
        if matches!(event.kind, EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(_))) {
            return Vec::new();
        }
        let relative: Vec<PathBuf> = event.paths.iter().filter_map(|p| p.strip_prefix(&self.root).ok()).map(Path::to_path_buf).collect();
        if appears(&event.kind) {
            relative.iter().filter(|rel| is_source_folder(rel)).for_each(|dir| self.watch_again(dir));
        }
        relative.iter().filter_map(|rel| change_kind(rel)).collect()
    }

    /// Blocks until a burst of relevant changes has ended; the most demanding kind wins.
    /// `None` when the watcher has stopped.
    pub fn next_burst(&mut self) -> Option<ChangeKind> {
        let mut kind: Option<ChangeKind> = None;
        loop {
            let event = if kind.is_none() {
                self.events.recv().ok()?
            } else {
                match self.events.recv_timeout(QUIET) {
                    Ok(event) => event,
                    Err(RecvTimeoutError::Timeout) => return kind,
                    Err(RecvTimeoutError::Disconnected) => return kind,
                }
            };
            for k in self.kinds_of(event) {
                kind = Some(kind.map_or(k, |old| old.max(k)));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_of_changes() {
        let cases = [
            ("site.toml", Some(ChangeKind::Config)),
            ("content/gge-2021.md", Some(ChangeKind::Content)),
            ("survey-spec/norms.toml", Some(ChangeKind::Content)),
            ("themes/default/templates/report.html", Some(ChangeKind::Site)),
            ("themes/default/static/style.css", Some(ChangeKind::Static)),
            ("static/logo.svg", Some(ChangeKind::Static)),
            ("content/.gge-2021.md.swp", None),
            ("content/gge-2021.md~", None),
            ("content/4913", None),
            ("public/index.html", None),
            ("target/debug/x", None),
            ("README.md", None),
        ];
        for (path, want) in cases {
            assert_eq!(change_kind(Path::new(path)), want, "{path}");
        }
    }
}
