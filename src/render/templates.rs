//! The theme: Tera templates from `themes/<name>/templates/`, compiled once per build,
//! and the theme's `static/` assets.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;
use tera::Tera;

use super::pages::{relativize, Context, Page, BODY_MARK};
use crate::config::Config;
use crate::error::Diagnostic;
use crate::links::{self, PageScan, ScanRecorder};

pub const THEMES_DIR: &str = "themes";
/// Templates every theme must have.
pub const REQUIRED: &[&str] = &["index.html", "reports.html", "report.html", "404.html"];
/// Templates a theme needs when the handbook has a survey.
pub const REQUIRED_FOR_SURVEY: &[&str] =
    &["survey.html", "instructions.html", "part.html", "section.html", "review.html", "merge.html", "compare.html"];

pub struct Theme {
    tera: Tera,
    /// `themes/<name>/templates`, relative to the root, for messages.
    templates_dir: PathBuf,
    /// Absolute path of the theme's `static/` folder.
    pub static_dir: PathBuf,
    /// Each template's name and text, to find the line an error comes from.
    sources: Vec<(String, String)>,
}

/// The line of a syntax error, read from Tera's message because it is kept nowhere else:
/// tera 1.20's `parser::parse` (a private module) formats pest's error, which has the
/// position (`line_col`), into `Error::msg(fancy_e)`, an `ErrorKind::Msg(String)` with no
/// source, and `Template::new` passes that on as it is; the parsed AST has no positions.
static POSITION: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"--> (\d+):(\d+)").unwrap());

/// An error and all its causes on one line.
fn chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

impl Theme {
    /// Loads and compiles every template; reports every broken one.
    pub fn load(root: &Path, config: &Config, with_survey: bool) -> Result<Theme, Vec<Diagnostic>> {
        let name = &config.theme;
        let rel_dir = Path::new(THEMES_DIR).join(name);
        let dir = root.join(&rel_dir);
        if !dir.is_dir() {
            return Err(vec![config.problem_with("theme", format!("theme `{name}` not found: there is no folder {}", rel_dir.display()))]);
        }
        let templates_dir = rel_dir.join("templates");
        let mut files = Vec::new();
        collect_html(&dir.join("templates"), &dir.join("templates"), &mut files);
        files.sort();
        let mut sources = Vec::new();
        let mut problems = Vec::new();
        for (name, path) in files {
            match std::fs::read_to_string(&path) {
                Ok(source) => sources.push((name, source)),
                Err(e) => problems.push(Diagnostic::file(templates_dir.join(&name), format!("cannot read: {e}"))),
            }
        }
        for required in REQUIRED.iter().chain(if with_survey { REQUIRED_FOR_SURVEY } else { &[] }) {
            if !sources.iter().any(|(n, _)| n == required) && !problems.iter().any(|p| p.path == templates_dir.join(required)) {
                problems.push(Diagnostic::file(templates_dir.join(required), "template missing: every theme needs it"));
            }
        }
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html"]);
        // Tera's own escaping turns `/` into `&#x2F;`, which would hide `@/` links from `relativize`.
        tera.set_escape_fn(escape_for_templates);
        if problems.is_empty() {
            if let Err(e) = tera.add_raw_templates(sources.clone()) {
                problems.extend(syntax_errors(&templates_dir, &sources));
                if problems.is_empty() {
                    problems.push(Diagnostic::file(&templates_dir, chain(&e)));
                }
            }
        }
        if problems.is_empty() {
            for ((file, name), chain) in super::recursion::endless_macros(&tera) {
                let line = line_where(&sources, &file, |line| defines_macro(line, &name));
                problems.push(Diagnostic {
                    path: templates_dir.join(&file),
                    line,
                    message: format!("macro `{name}` calls itself whatever the data ({chain}): rendering it would never end"),
                });
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Theme { tera, templates_dir, static_dir: dir.join("static"), sources })
    }

    /// Renders one page, its links relative to its place, and what the links check needs
    /// of it: the template's output read by `links::scan`, and the report's text recorded
    /// as it is written. An error names the template and the page.
    pub fn render(&self, page: Page) -> Result<(String, PageScan), PageError> {
        let (template, path, root) = (page.template, page.path.clone(), page.root.clone());
        let render = |context: &tera::Context| {
            self.tera
                .render(template, context)
                .map(|html| relativize(&html, &root))
                .map_err(|e| PageError { problem: self.problem_of(template, &e), page: path.clone() })
        };
        let scanned = |html: String| {
            let scan = links::scan(&html);
            (html, scan)
        };
        let Context { tera: mut context, body } = page.into_context();
        let html = render(&context)?;
        let Some(write_body) = body else { return Ok(scanned(html)) };
        match html.split_once(BODY_MARK) {
            Some((before, after)) if !after.contains(BODY_MARK) => {
                let mut page = String::with_capacity(before.len() + after.len() + REPORT_TEXT_ROOM);
                page.push_str(before);
                let mut recorder = ScanRecorder::default();
                recorder.html(&page, 0);
                write_body(&mut page, Some(&mut recorder));
                let at = page.len();
                page.push_str(after);
                recorder.html(&page, at);
                let scan = if recorder.is_complete() { recorder.finish(&page) } else { links::scan(&page) };
                Ok((page, scan))
            }
            _ => {
                // The template did more with the body than place it once: it gets the text.
                let mut body = String::new();
                write_body(&mut body, None);
                if let Some(tera::Value::Object(mut report)) = context.get("report").cloned() {
                    report.insert("body".into(), tera::Value::String(body));
                    context.insert("report", &report);
                }
                render(&context).map(scanned)
            }
        }
    }
}

impl Theme {
    /// A rendering error, at the template line it comes from where that can be found: Tera
    /// names an unknown variable and the template rendered, not the line (its
    /// `renderer/processor.rs` makes an `ErrorKind::Msg` of them; the AST has no positions),
    /// so the variable is read from the message and looked for in the templates.
    fn problem_of(&self, template: &str, error: &tera::Error) -> Diagnostic {
        let text = chain(error);
        let unknown = text.split_once("Variable `").and_then(|(_, rest)| rest.split_once("` not found in context"));
        if let Some((variable, _)) = unknown {
            let used = |line: &str| line.contains(variable) && (line.contains("{{") || line.contains("{%"));
            // The template itself first, then those it extends or imports.
            let names = std::iter::once(template).chain(self.sources.iter().map(|(name, _)| name.as_str()));
            if let Some((name, line)) = names.filter_map(|name| Some((name, line_where(&self.sources, name, used)?))).next() {
                let message = format!("`{variable}` is not defined: no page's context holds it");
                return Diagnostic::at(self.templates_dir.join(name), line, message);
            }
        }
        Diagnostic::file(self.templates_dir.join(template), text)
    }
}

/// A page that could not be rendered.
pub struct PageError {
    pub problem: Diagnostic,
    pub page: String,
}

/// One problem per template error, naming the pages it stopped rather than repeating it
/// for each of them.
pub fn merge_page_errors(errors: Vec<PageError>) -> Vec<Diagnostic> {
    let mut pages: std::collections::BTreeMap<Diagnostic, Vec<String>> = Default::default();
    for error in errors {
        pages.entry(error.problem).or_default().push(error.page);
    }
    pages
        .into_iter()
        .map(|(mut problem, mut pages)| {
            pages.sort();
            let more = match pages.len() {
                1 => String::new(),
                2 => format!(" and {}", pages[1]),
                n => format!(" and {} more pages", n - 1),
            };
            problem.message = format!("{} (while rendering {}{more})", problem.message, pages[0]);
            problem
        })
        .collect()
}

/// How much room a report page's text is given up front (the shipped report pages are 40
/// to 120 KB; a larger text grows its page once or twice).
const REPORT_TEXT_ROOM: usize = 64 * 1024;

/// Whether a template line opens the definition of macro `name` (`{% macro name(`, `{%-`
/// and spaces as Tera allows them).
fn defines_macro(line: &str, name: &str) -> bool {
    line.match_indices("{%").any(|(at, _)| {
        let rest = line[at + 2..].trim_start_matches('-').trim_start();
        rest.strip_prefix("macro")
            .and_then(|rest| rest.trim_start().strip_prefix(name))
            .is_some_and(|rest| rest.trim_start().starts_with('('))
    })
}

/// The first line of template `file` that `wanted` accepts.
fn line_where(sources: &[(String, String)], file: &str, wanted: impl Fn(&str) -> bool) -> Option<usize> {
    let (_, text) = sources.iter().find(|(name, _)| name == file)?;
    text.lines().position(wanted).map(|i| i + 1)
}

/// Each template parsed alone, so every syntax error is found with its file and line.
fn syntax_errors(templates_dir: &Path, sources: &[(String, String)]) -> Vec<Diagnostic> {
    sources
        .iter()
        .filter_map(|(name, source)| {
            let e = tera::Template::new(name, None, source).err()?;
            let text = chain(&e);
            let line = POSITION.captures(&text).and_then(|c| c[1].parse().ok()).unwrap_or(1);
            let detail = text.lines().last().unwrap_or("").trim().trim_start_matches("= ").to_string();
            Some(Diagnostic::at(templates_dir.join(name), line, format!("template syntax error: {detail}")))
        })
        .collect()
}

fn escape_for_templates(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    super::push_escaped_all(&mut out, text);
    out
}

fn collect_html(base: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_html(base, &path, out);
        } else if path.extension().is_some_and(|e| e == "html") {
            let name = path.strip_prefix(base).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            out.push((name, path));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_macro_definition_is_told_from_a_call_and_from_a_longer_name() {
        assert!(defines_macro("{% macro body(q) %}", "body"));
        assert!(defines_macro("x {%- macro  body (q) -%}", "body"));
        assert!(!defines_macro("{% macro group_body(q, base) %}", "body"));
        assert!(!defines_macro("{{ self::body(q=q) }} {# macro #}", "body"));
        assert!(!defines_macro("{% macro bodywork() %}", "body"));
    }
}
