//! Output files: the built site, and writing it to disk atomically.
//!
//! The site is written to a fresh sibling folder and swapped in by renames only when
//! complete, so a failed or interrupted build leaves the previous output untouched.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};

/// One file of the built site.
#[derive(Debug, Clone)]
pub struct OutFile {
    /// Path from the site root, with `/` separators.
    pub path: String,
    /// Shared: `serve` keeps a page that did not change from one build to the next.
    pub bytes: Arc<Vec<u8>>,
}

/// Every file under `dir`, as output files rooted at `dir`.
pub fn read_tree(dir: &Path) -> Result<Vec<OutFile>> {
    files_under(dir)?
        .into_iter()
        .map(|rel| {
            let path = dir.join(&rel);
            let bytes = std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
            Ok(OutFile { path: rel, bytes: Arc::new(bytes) })
        })
        .collect()
}

/// The paths of every file under `dir`, from `dir` with `/` separators, sorted; none when
/// `dir` cannot be read. A symbolic link to outside `dir` is refused.
pub fn files_under(dir: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    files_under_into(dir, dir, &mut out)?;
    out.sort();
    Ok(out)
}

fn files_under_into(base: &Path, dir: &Path, out: &mut Vec<String>) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries {
        let path = entry?.path();
        if path.symlink_metadata()?.file_type().is_symlink() {
            // A link may not pull files from outside the folder into the site.
            let inside = path.canonicalize().ok().zip(base.canonicalize().ok()).is_some_and(|(p, b)| p.starts_with(b));
            anyhow::ensure!(inside, "{} is a symbolic link to outside {}", path.display(), base.display());
        }
        if path.is_dir() {
            files_under_into(base, &path, out)?;
        } else {
            out.push(path.strip_prefix(base).unwrap_or(&path).to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(())
}

/// The file every output folder carries, so that a build replaces only a folder it wrote.
/// It lists the dot-files the build wrote itself: any other (a publishing checkout's `.git/`,
/// a host's `.nojekyll` or `CNAME`-like dot-file) is the user's, and kept across builds.
pub const MARKER: &str = ".normbook-output";

/// Why `out_dir` may not be a build's output folder: it is, holds or lies inside the handbook's
/// folder `root` or one of its source folders `sources` (names under `root`). Checked before
/// anything is written, since a build replaces its output folder whole.
pub fn unsafe_output(root: &Path, out_dir: &Path, sources: &[&str]) -> Option<String> {
    let (root, out) = (resolved(root), resolved(out_dir));
    if out == root {
        return Some("is the handbook's own folder".into());
    }
    if root.starts_with(&out) {
        return Some(format!("holds the handbook's folder {}", root.display()));
    }
    for source in sources {
        // A source folder may itself be a link (to a shared checkout, say): its real place counts.
        let folder = resolved(&root.join(source));
        if out == folder {
            return Some(format!("is the source folder {source}/"));
        }
        if out.starts_with(&folder) {
            return Some(format!("lies inside the source folder {source}/"));
        }
        if folder.starts_with(&out) {
            return Some(format!("holds the source folder {source}/"));
        }
    }
    None
}

/// Why the folder at `out_dir` may not be replaced by a build: it is a file, or a folder
/// that holds files and no marker of an earlier build (unless `force`). A folder holding
/// only dot-files (a fresh checkout of a publishing branch) may be built into.
pub fn unreplaceable(out_dir: &Path, force: bool) -> Option<String> {
    let meta = std::fs::metadata(out_dir).ok()?;
    if !meta.is_dir() {
        return Some("is a file, not a folder: a build would delete it".into());
    }
    if force || out_dir.join(MARKER).is_file() {
        return None;
    }
    let names = std::fs::read_dir(out_dir).ok()?.flatten().map(|e| e.file_name().to_string_lossy().into_owned());
    let foreign: Vec<String> = names.filter(|name| !name.starts_with('.')).collect();
    if foreign.is_empty() {
        return None;
    }
    let mut shown: Vec<&str> = foreign.iter().map(String::as_str).collect();
    shown.sort();
    let more = if shown.len() > 3 { format!(" and {} more", shown.len() - 3) } else { String::new() };
    shown.truncate(3);
    Some(format!(
        "holds files that normbook did not write ({}{more}) and no {MARKER} marker of an earlier build; a build replaces \
         its output folder whole, so remove those files, choose another folder, or pass --force to replace them",
        shown.join(", ")
    ))
}

/// Where a build writes for `out_dir`: through it, when it is a link to a folder (a
/// checkout of a publishing branch, say), so that the link stays and its folder gets the site.
pub fn through_link(out_dir: &Path) -> PathBuf {
    let linked = out_dir.symlink_metadata().is_ok_and(|meta| meta.file_type().is_symlink()) && out_dir.is_dir();
    if linked {
        out_dir.canonicalize().unwrap_or_else(|_| out_dir.to_path_buf())
    } else {
        out_dir.to_path_buf()
    }
}

/// `path` made absolute with `..` resolved, and symbolic links resolved as far as it exists.
fn resolved(path: &Path) -> PathBuf {
    use std::path::Component;
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut lexical = PathBuf::new();
    for part in absolute.components() {
        match part {
            Component::ParentDir => {
                lexical.pop();
            }
            Component::CurDir => {}
            other => lexical.push(other),
        }
    }
    // The longest part that exists, with its links resolved, and the rest as written.
    let mut rest = Vec::new();
    let mut existing = lexical.as_path();
    loop {
        if let Ok(real) = existing.canonicalize() {
            return rest.iter().rev().fold(real, |path, name| path.join(name));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return lexical,
        }
    }
}

/// Writes `files` as the complete content of `out_dir`, replacing what was there.
pub fn write_atomically(files: &[OutFile], out_dir: &Path) -> Result<()> {
    let staging = Staging::new(out_dir)?;
    staging.write_all(files)?;
    staging.commit()
}

/// A fresh sibling folder the site is written into, file by file, and then swapped in for
/// `out_dir` by `commit`. Dropped without a commit, it is removed and `out_dir` is untouched.
pub struct Staging {
    dir: PathBuf,
    out_dir: PathBuf,
    retired: PathBuf,
    committed: bool,
    /// Folders made already: thousands of pages share a few, and asking the system again
    /// for each page costs two calls.
    folders: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
}

impl Staging {
    pub fn new(out_dir: &Path) -> Result<Staging> {
        let parent = out_dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
        let name = out_dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
        let dir = parent.join(format!(".{name}.new-{}", std::process::id()));
        let retired = parent.join(format!(".{name}.old-{}", std::process::id()));
        remove_stale(parent, &name);
        std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        Ok(Staging { dir, out_dir: out_dir.to_path_buf(), retired, committed: false, folders: Default::default() })
    }

    /// The folder written into.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes one file, `path` from the site root; a later file with the same path replaces it.
    pub fn write(&self, path: &str, bytes: &[u8]) -> Result<()> {
        let path = self.dir.join(path);
        if let Some(folder) = path.parent() {
            // A poisoned lock only means another write failed; the set is still right.
            let mut folders = self.folders.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if !folders.contains(folder) {
                std::fs::create_dir_all(folder).with_context(|| format!("cannot create {}", folder.display()))?;
                folders.insert(folder.to_path_buf());
            }
        }
        std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))
    }

    /// Writes every file, in parallel; of two files with one path (a site's own `static/`
    /// file over the theme's), the last is written.
    pub fn write_all(&self, files: &[OutFile]) -> Result<()> {
        use rayon::prelude::*;
        let last: std::collections::HashMap<&str, usize> = files.iter().enumerate().map(|(i, f)| (f.path.as_str(), i)).collect();
        files
            .par_iter()
            .enumerate()
            .filter(|(i, f)| last[f.path.as_str()] == *i)
            .try_for_each(|(_, file)| self.write(&file.path, &file.bytes))
    }

    /// Puts the written site in place of `out_dir`, by renames, with the marker that says
    /// a build wrote it, and the user's dot-files of the old folder (`.git/`) moved over.
    pub fn commit(mut self) -> Result<()> {
        let out_dir = self.out_dir.clone();
        write_marker(&self.dir)?;
        let had_old = out_dir.symlink_metadata().is_ok();
        if had_old {
            std::fs::rename(&out_dir, &self.retired).with_context(|| format!("cannot move the old {} aside", out_dir.display()))?;
        }
        let kept = move_users_dot_files(&self.retired, &self.dir);
        if let Err(e) = std::fs::rename(&self.dir, &out_dir) {
            for name in kept {
                let _ = std::fs::rename(self.dir.join(&name), self.retired.join(&name));
            }
            if had_old {
                let _ = std::fs::rename(&self.retired, &out_dir);
            }
            return Err(e).with_context(|| format!("cannot move the new site into {}", out_dir.display()));
        }
        self.committed = true;
        if had_old {
            remove_unless_users_files_remain(&self.retired, &out_dir);
        }
        Ok(())
    }
}

/// Writes the marker into a built folder, listing the dot-files the build itself wrote there.
fn write_marker(dir: &Path) -> Result<()> {
    let mut written: Vec<String> = std::fs::read_dir(dir)?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with('.') && name != MARKER)
        .collect();
    written.sort();
    let mut text = String::from(
        "This folder is the output of `normbook build`, which replaces it whole at each build.\n\
         Dot-files it did not write (such as .git) are kept from one build to the next.\n\
         The build wrote these dot-files itself:\n",
    );
    for name in written {
        text.push_str(&name);
        text.push('\n');
    }
    std::fs::write(dir.join(MARKER), text).with_context(|| format!("cannot write {}", dir.join(MARKER).display()))
}

/// Removes an old output, unless a dot-file of the user's could not be moved out of it into
/// `output` (a mount point, say): then it is left, for the next build to try again, never
/// deleted. One the build itself now writes into `output` (from static/) is superseded.
fn remove_unless_users_files_remain(old: &Path, output: &Path) {
    if users_dot_files(old).iter().all(|name| output.join(name).symlink_metadata().is_ok()) {
        remove_tree(old);
    }
}

/// The top-level dot-files of a folder that no build wrote (its marker does not list them).
fn users_dot_files(folder: &Path) -> Vec<std::ffi::OsString> {
    if !folder.symlink_metadata().is_ok_and(|meta| meta.is_dir()) {
        return Vec::new();
    }
    let marker = std::fs::read_to_string(folder.join(MARKER)).unwrap_or_default();
    let written: std::collections::HashSet<&str> = marker.lines().filter(|line| line.starts_with('.')).collect();
    let names = std::fs::read_dir(folder).into_iter().flatten().flatten().map(|entry| entry.file_name());
    names.filter(|name| name.to_string_lossy().starts_with('.') && name != MARKER && !written.contains(&*name.to_string_lossy())).collect()
}

/// Moves the top-level dot-files of the folder `from` that no build wrote (its marker does
/// not list them) into `to`, where `to` has none of that name; returns their names. A link
/// is never entered: the folder a linked output points to keeps its own.
fn move_users_dot_files(from: &Path, to: &Path) -> Vec<std::ffi::OsString> {
    users_dot_files(from)
        .into_iter()
        .filter(|name| to.join(name).symlink_metadata().is_err() && std::fs::rename(from.join(name), to.join(name)).is_ok())
        .collect()
}

/// Removes a folder and all it holds, its files in parallel: a large site's old output
/// has tens of thousands, and the system frees each file's pages as it is removed.
/// A symbolic link, the folder itself or within it, is removed, never followed. What
/// cannot be removed is left.
fn remove_tree(dir: &Path) {
    use rayon::prelude::*;
    if !dir.symlink_metadata().is_ok_and(|meta| meta.is_dir()) {
        remove_entry(dir);
        return;
    }
    let (mut files, mut folders) = (Vec::new(), vec![dir.to_path_buf()]);
    let mut next = 0;
    while let Some(folder) = folders.get(next) {
        for entry in std::fs::read_dir(folder).into_iter().flatten().flatten() {
            match entry.file_type() {
                Ok(kind) if kind.is_dir() => folders.push(entry.path()),
                _ => files.push(entry.path()),
            }
        }
        next += 1;
    }
    files.par_iter().for_each(|file| remove_entry(file));
    // Folders were found parents first: removed children first.
    for folder in folders.iter().rev() {
        let _ = std::fs::remove_dir(folder);
    }
}

/// Removes a file or a symbolic link (on Windows a link to a folder is removed as a folder).
fn remove_entry(path: &Path) {
    if std::fs::remove_file(path).is_err() {
        let _ = std::fs::remove_dir(path);
    }
}

/// Clears up after builds that were interrupted (Ctrl-C skips clean-up) and whose process
/// is gone: an old output moved aside and not yet replaced is put back, the user's
/// dot-files are moved back into the output, and the staging folders are removed.
fn remove_stale(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let (new, old) = (format!(".{name}.new-"), format!(".{name}.old-"));
    let mut stale: Vec<(bool, PathBuf)> = Vec::new();
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let (is_new, pid) = match (file.strip_prefix(&new), file.strip_prefix(&old)) {
            (Some(pid), _) => (true, pid),
            (_, Some(pid)) => (false, pid),
            _ => continue,
        };
        if pid.parse::<u32>().is_ok_and(|pid| pid == std::process::id() || !running(pid)) {
            stale.push((is_new, entry.path()));
        }
    }
    // Old outputs first, so that one put back can take the dot-files a staging folder holds.
    stale.sort();
    let out_dir = parent.join(name);
    for (is_new, folder) in stale {
        if !is_new && out_dir.symlink_metadata().is_err() && std::fs::rename(&folder, &out_dir).is_ok() {
            continue;
        }
        if out_dir.symlink_metadata().is_ok_and(|meta| meta.is_dir()) {
            move_users_dot_files(&folder, &out_dir);
        }
        remove_unless_users_files_remain(&folder, &out_dir);
    }
}

/// Whether a process is running; where that cannot be known, it is taken to be.
fn running(pid: u32) -> bool {
    !cfg!(target_os = "linux") || Path::new("/proc").join(pid.to_string()).exists()
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            remove_tree(&self.dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_tree_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir(tmp.path().join("static")).unwrap();
        std::fs::write(tmp.path().join("secret"), "x").unwrap();
        std::fs::write(tmp.path().join("static/ok.txt"), "ok").unwrap();
        std::os::unix::fs::symlink("ok.txt", tmp.path().join("static/alias.txt")).unwrap();
        assert_eq!(read_tree(&tmp.path().join("static")).unwrap().len(), 2);
        std::os::unix::fs::symlink(tmp.path().join("secret"), tmp.path().join("static/leak")).unwrap();
        let err = read_tree(&tmp.path().join("static")).unwrap_err().to_string();
        assert!(err.contains("is a symbolic link to outside"), "{err}");
    }

    fn file(path: &str, text: &str) -> OutFile {
        OutFile { path: path.into(), bytes: text.as_bytes().to_vec().into() }
    }

    #[test]
    fn of_two_files_with_one_path_the_last_is_written() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        write_atomically(&[file("syntax.css", "generated, and longer"), file("syntax.css", "site's")], &out).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("syntax.css")).unwrap(), "site's");
    }

    #[test]
    fn a_staging_folder_dropped_unfinished_leaves_the_old_site() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        write_atomically(&[file("index.html", "old")], &out).unwrap();
        let staging = Staging::new(&out).unwrap();
        staging.write("reports/a.html", b"new").unwrap();
        drop(staging);
        assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "old");
        let names: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("public")]);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn staging_left_by_an_interrupted_build_is_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        // No process has this id (Linux ids stay below 2^22).
        std::fs::create_dir_all(tmp.path().join(".public.new-99999999/reports")).unwrap();
        write_atomically(&[file("index.html", "one")], &out).unwrap();
        let names: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("public")]);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_build_interrupted_in_its_swap_puts_the_old_output_and_the_users_dot_files_back() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        write_atomically(&[file("index.html", "old")], &out).unwrap();
        std::fs::create_dir(out.join(".git")).unwrap();
        std::fs::write(out.join(".git/HEAD"), "ref").unwrap();
        // As a build stopped between its renames leaves it: the old output moved aside,
        // its .git already moved into the new one (no process has these ids).
        std::fs::rename(&out, tmp.path().join(".public.old-99999998")).unwrap();
        let staging = tmp.path().join(".public.new-99999998");
        std::fs::create_dir(&staging).unwrap();
        write_marker(&staging).unwrap();
        std::fs::rename(tmp.path().join(".public.old-99999998/.git"), staging.join(".git")).unwrap();
        // The next build first puts things back.
        let next = Staging::new(&out).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "old");
        assert_eq!(std::fs::read_to_string(out.join(".git/HEAD")).unwrap(), "ref");
        drop(next);
        let names: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("public")]);
    }

    #[test]
    fn only_a_folder_a_build_wrote_or_one_of_dot_files_may_be_replaced() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        assert_eq!(unreplaceable(&out, false), None, "a folder not there yet");
        std::fs::create_dir_all(out.join(".git")).unwrap();
        assert_eq!(unreplaceable(&out, false), None, "a checkout with nothing else");
        std::fs::write(out.join("thesis.docx"), "mine").unwrap();
        assert!(unreplaceable(&out, false).unwrap().contains("holds files that normbook did not write (thesis.docx)"));
        assert_eq!(unreplaceable(&out, true), None, "--force");
        write_atomically(&[file("index.html", "site")], &out).unwrap();
        assert_eq!(unreplaceable(&out, false), None, "carries the marker");
        assert!(!out.join("thesis.docx").exists() && out.join(".git").is_dir());
    }

    #[test]
    fn an_output_may_not_be_hold_or_lie_in_a_source() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("book");
        std::fs::create_dir_all(root.join("content")).unwrap();
        let why = |out: &str| unsafe_output(&root, &root.join(out), &["content", "static"]);
        assert_eq!(why("public"), None);
        assert_eq!(why("content").as_deref(), Some("is the source folder content/"));
        assert_eq!(why("content/../content/x/..").as_deref(), Some("is the source folder content/"));
        assert_eq!(why("static/new/deeper").as_deref(), Some("lies inside the source folder static/"));
        assert_eq!(why(".").as_deref(), Some("is the handbook's own folder"));
        assert!(why("..").unwrap().starts_with("holds the handbook's folder"));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(root.join("content"), root.join("alias")).unwrap();
            assert_eq!(why("alias").as_deref(), Some("is the source folder content/"), "a link is followed");
            // A source folder that is itself a link: its real place, and the folders holding it.
            let shared = tmp.path().join("shared/data");
            std::fs::create_dir_all(shared.join("static")).unwrap();
            std::os::unix::fs::symlink(shared.join("static"), root.join("static")).unwrap();
            let outside = |out: &Path| unsafe_output(&root, out, &["content", "static"]);
            assert_eq!(outside(&shared).as_deref(), Some("holds the source folder static/"));
            assert_eq!(outside(&shared.join("static/x")).as_deref(), Some("lies inside the source folder static/"));
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_linked_output_is_built_through_its_link() {
        let tmp = tempfile::tempdir().unwrap();
        let checkout = tmp.path().join("checkout");
        std::fs::create_dir_all(checkout.join(".git")).unwrap();
        let public = tmp.path().join("book/public");
        std::fs::create_dir_all(public.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(&checkout, &public).unwrap();
        write_atomically(&[file("index.html", "site")], &through_link(&public)).unwrap();
        assert!(public.symlink_metadata().unwrap().file_type().is_symlink(), "the link stays");
        assert_eq!(std::fs::read_to_string(checkout.join("index.html")).unwrap(), "site");
        assert!(checkout.join(".git").is_dir());
    }

    #[cfg(unix)]
    #[test]
    fn a_folder_is_removed_whole_and_links_are_removed_not_followed() {
        let tmp = tempfile::tempdir().unwrap();
        let kept = tmp.path().join("kept");
        std::fs::create_dir_all(kept.join("inner")).unwrap();
        std::fs::write(kept.join("inner/file.txt"), "keep me").unwrap();
        let old = tmp.path().join("old");
        for (i, folder) in ["", "reports", "reports/deep/er"].iter().enumerate() {
            std::fs::create_dir_all(old.join(folder)).unwrap();
            std::fs::write(old.join(folder).join(format!("{i}.html")), "x").unwrap();
        }
        std::fs::create_dir_all(old.join("empty")).unwrap();
        std::os::unix::fs::symlink(&kept, old.join("reports/to-kept")).unwrap();
        std::os::unix::fs::symlink(kept.join("inner/file.txt"), old.join("file-link")).unwrap();
        remove_tree(&old);
        assert!(!old.exists());
        // An output that is itself a link (to a checkout of a publishing branch, say):
        // the link goes, what it points to stays.
        let linked = tmp.path().join("linked");
        std::os::unix::fs::symlink(&kept, &linked).unwrap();
        remove_tree(&linked);
        assert!(linked.symlink_metadata().is_err(), "the link is removed");
        assert_eq!(std::fs::read_to_string(kept.join("inner/file.txt")).unwrap(), "keep me");
    }

    #[test]
    fn replaces_the_whole_folder_and_leaves_no_staging() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        write_atomically(&[file("index.html", "one"), file("old/stale.html", "x")], &out).unwrap();
        write_atomically(&[file("index.html", "two"), file("a/b.css", "c")], &out).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "two");
        assert!(!out.join("old/stale.html").exists());
        let names: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("public")]);
    }
}
