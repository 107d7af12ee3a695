//! `site.toml`: the handbook's settings, with defaults and strict keys.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{toml_diagnostic, Diagnostic};

pub const CONFIG_FILE: &str = "site.toml";

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The handbook's title, shown on every page.
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// BCP 47 language tag for `<html lang>`.
    #[serde(default = "default_language")]
    pub language: String,
    /// The sub-path the site is hosted under (`/` or `/handbook/`); only pages served at
    /// unknown depths (the 404 page) need it, every other link is relative.
    #[serde(default = "default_base_path")]
    pub base_path: String,
    /// A folder of `themes/`.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Where `build` writes the site, relative to the root.
    #[serde(default = "default_output_dir")]
    pub output_dir: PathBuf,
    /// Build the pagefind search index (on by default; `--no-search` turns it off).
    #[serde(default = "default_search")]
    pub search: bool,
    /// The line of each key written in site.toml, for messages about its value.
    #[serde(skip)]
    pub key_lines: std::collections::HashMap<String, usize>,
}

fn default_search() -> bool {
    true
}

fn default_language() -> String {
    "en".into()
}
fn default_base_path() -> String {
    "/".into()
}
fn default_theme() -> String {
    "default".into()
}
fn default_output_dir() -> PathBuf {
    "public".into()
}

impl Config {
    /// Reads and checks `site.toml` in `root`.
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join(CONFIG_FILE);
        if !path.exists() {
            return Err(vec![not_a_handbook(root)]);
        }
        let source = std::fs::read_to_string(&path).map_err(|e| vec![Diagnostic::file(CONFIG_FILE, format!("cannot read: {e}"))])?;
        Config::parse(&source)
    }

    pub fn parse(source: &str) -> Result<Config, Vec<Diagnostic>> {
        let mut config: Config = toml::from_str(source).map_err(|e| vec![toml_diagnostic(Path::new(CONFIG_FILE), source, 1, &e)])?;
        config.base_path = normalize_base_path(&config.base_path);
        config.key_lines = crate::error::key_lines(source, 1);
        Ok(config)
    }

    /// A problem with a setting, at its line of site.toml (no line when the default holds).
    pub fn problem_with(&self, key: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic { path: CONFIG_FILE.into(), line: self.key_lines.get(key).copied(), message: message.into() }
    }
}

/// The problem of a folder without site.toml: its full path, and how to name the right one.
pub fn not_a_handbook(root: &Path) -> Diagnostic {
    let full = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
    Diagnostic::file(
        full.join(CONFIG_FILE),
        format!(
            "not found: {} holds no handbook. Run normbook in the handbook's folder, give it with --root DIR, \
             or start a new one with `normbook init DIR`",
            full.display()
        ),
    )
}

/// `handbook`, `/handbook` and `/handbook/` all mean `/handbook/`.
pub fn normalize_base_path(path: &str) -> String {
    let trimmed = path.trim_matches('/');
    if trimmed.is_empty() {
        "/".into()
    } else {
        format!("/{trimmed}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_fill_what_is_left_out() {
        let config = Config::parse("title = \"T\"").unwrap();
        assert_eq!(config.language, "en");
        assert_eq!(config.base_path, "/");
        assert_eq!(config.theme, "default");
        assert_eq!(config.output_dir, PathBuf::from("public"));
    }

    #[test]
    fn unknown_keys_are_errors_with_their_line() {
        let errors = Config::parse("title = \"T\"\n\ncolour = \"red\"\n").unwrap_err();
        assert_eq!(errors.len(), 1);
        let text = errors[0].to_string();
        assert!(text.starts_with("site.toml:3: unknown field `colour`"), "{text}");
    }

    #[test]
    fn base_paths_are_normalized() {
        for (given, want) in [("", "/"), ("/", "/"), ("handbook", "/handbook/"), ("/a/b", "/a/b/"), ("/x/", "/x/")] {
            assert_eq!(normalize_base_path(given), want);
        }
    }
}
