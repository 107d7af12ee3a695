//! The floor for a normbook build: how long it takes just to read every `.md` file under
//! `DIR/content` and turn it into HTML with pulldown-cmark alone (tables and footnotes on),
//! with no templates, references, search or output files. A full build can be compared
//! with this to see how much of its time is Markdown and how much is everything else.
//!
//! Run with `cargo bench --bench floor -- DIR [--runs N]`; `bench/compare.py` calls the
//! built binary. It times the work once on one thread (`serial`) and once spread across
//! files with rayon (`parallel`), repeats that N times (default 1) and prints the medians (and
//! each run) as machine-readable `key=value` lines, e.g. `floor_serial_ms=123.4`.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use pulldown_cmark::{html, Options, Parser};
use rayon::prelude::*;

fn main() {
    let (dir, runs) = parse_args();
    let files = markdown_files(&dir.join("content"));
    if files.is_empty() {
        eprintln!("floor: no .md files under {}", dir.join("content").display());
        std::process::exit(2);
    }
    let mut serial = Vec::new();
    let mut parallel = Vec::new();
    let mut bytes = (0, 0);
    for _ in 0..runs {
        let (ms, sizes) = timed(|| files.iter().map(|f| render_file(f)).fold((0, 0), add));
        serial.push(ms);
        let (ms, par_sizes) = timed(|| files.par_iter().map(|f| render_file(f)).reduce(|| (0, 0), add));
        parallel.push(ms);
        assert_eq!(sizes, par_sizes, "serial and parallel rendering disagree");
        bytes = sizes;
    }
    println!("floor_files={}", files.len());
    println!("floor_markdown_bytes={}", bytes.0);
    println!("floor_html_bytes={}", bytes.1);
    println!("floor_runs={runs}");
    println!("floor_threads={}", rayon::current_num_threads());
    println!("floor_serial_runs_ms={}", list(&serial));
    println!("floor_parallel_runs_ms={}", list(&parallel));
    println!("floor_serial_ms={:.1}", median(&mut serial));
    println!("floor_parallel_ms={:.1}", median(&mut parallel));
}

/// DIR and `--runs N`; other arguments starting with `--` (cargo passes `--bench`) are ignored.
fn parse_args() -> (PathBuf, usize) {
    let mut dir = None;
    let mut runs = 1;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--runs" {
            runs = args.next().and_then(|n| n.parse().ok()).unwrap_or_else(|| usage());
        } else if !arg.starts_with("--") {
            dir = Some(PathBuf::from(arg));
        }
    }
    (dir.unwrap_or_else(|| usage()), runs.max(1))
}

fn usage() -> ! {
    eprintln!("usage: cargo bench --bench floor -- DIR [--runs N]   (reads DIR/content/**/*.md)");
    std::process::exit(2);
}

/// Every `.md` file under `dir`, sorted, recursively.
fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let Ok(entries) = fs::read_dir(&folder) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// Reads one file, drops its `+++` front matter and renders the rest.
/// Returns (Markdown bytes, HTML bytes) so the work cannot be optimised away.
fn render_file(path: &Path) -> (usize, usize) {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let body = strip_front_matter(&text);
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_FOOTNOTES);
    let mut out = String::with_capacity(body.len() * 3 / 2);
    html::push_html(&mut out, Parser::new_ext(body, options));
    (text.len(), out.len())
}

fn strip_front_matter(text: &str) -> &str {
    let Some(rest) = text.strip_prefix("+++\n") else { return text };
    match rest.find("\n+++\n") {
        Some(end) => &rest[end + 5..],
        None => text,
    }
}

fn add(a: (usize, usize), b: (usize, usize)) -> (usize, usize) {
    (a.0 + b.0, a.1 + b.1)
}

fn timed<T>(work: impl FnOnce() -> T) -> (f64, T) {
    let start = Instant::now();
    let result = work();
    (start.elapsed().as_secs_f64() * 1000.0, result)
}

fn list(values: &[f64]) -> String {
    values.iter().map(|v| format!("{v:.1}")).collect::<Vec<_>>().join(",")
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    values[values.len() / 2]
}
