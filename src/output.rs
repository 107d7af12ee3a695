//! Output files: the built site in memory, and writing it to disk atomically.
//!
//! The site is written to a fresh sibling folder and swapped in by renames only when
//! complete, so a failed or interrupted build leaves the previous output untouched.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// One file of the built site.
#[derive(Debug, Clone)]
pub struct OutFile {
    /// Path from the site root, with `/` separators.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Every file under `dir`, as output files rooted at `dir`.
pub fn read_tree(dir: &Path) -> Result<Vec<OutFile>> {
    let mut out = Vec::new();
    read_tree_into(dir, dir, &mut out)?;
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

fn read_tree_into(base: &Path, dir: &Path, out: &mut Vec<OutFile>) -> Result<()> {
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
            read_tree_into(base, &path, out)?;
        } else {
            let bytes = std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
            let rel = path.strip_prefix(base).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            out.push(OutFile { path: rel, bytes });
        }
    }
    Ok(())
}

/// Writes `files` as the complete content of `out_dir`, replacing what was there.
pub fn write_atomically(files: &[OutFile], out_dir: &Path) -> Result<()> {
    let parent = out_dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    let name = out_dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
    let staging = parent.join(format!(".{name}.new-{}", std::process::id()));
    let retired = parent.join(format!(".{name}.old-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    let written = write_all(files, &staging);
    if let Err(e) = written {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    let had_old = out_dir.exists();
    if had_old {
        std::fs::rename(out_dir, &retired).with_context(|| format!("cannot move the old {} aside", out_dir.display()))?;
    }
    if let Err(e) = std::fs::rename(&staging, out_dir) {
        if had_old {
            let _ = std::fs::rename(&retired, out_dir);
        }
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e).with_context(|| format!("cannot move the new site into {}", out_dir.display()));
    }
    if had_old {
        let _ = std::fs::remove_dir_all(&retired);
    }
    Ok(())
}

/// Writes every file under `dir`: folders first, then the files in parallel. Of two files
/// with one path (a site's own `static/` file over a generated one), the last is written.
fn write_all(files: &[OutFile], dir: &Path) -> Result<()> {
    let last: std::collections::HashMap<&str, usize> = files.iter().enumerate().map(|(i, f)| (f.path.as_str(), i)).collect();
    let files: Vec<&OutFile> = files.iter().enumerate().filter(|(i, f)| last[f.path.as_str()] == *i).map(|(_, f)| f).collect();
    let mut folders: Vec<PathBuf> = files.iter().filter_map(|f| dir.join(&f.path).parent().map(Path::to_path_buf)).collect();
    folders.push(dir.to_path_buf());
    folders.sort();
    folders.dedup();
    for folder in &folders {
        std::fs::create_dir_all(folder).with_context(|| format!("cannot create {}", folder.display()))?;
    }
    use rayon::prelude::*;
    files.par_iter().try_for_each(|file| {
        let path = dir.join(&file.path);
        std::fs::write(&path, &file.bytes).with_context(|| format!("cannot write {}", path.display()))
    })
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
        OutFile { path: path.into(), bytes: text.as_bytes().to_vec() }
    }

    #[test]
    fn of_two_files_with_one_path_the_last_is_written() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        write_atomically(&[file("syntax.css", "generated, and longer"), file("syntax.css", "site's")], &out).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("syntax.css")).unwrap(), "site's");
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
