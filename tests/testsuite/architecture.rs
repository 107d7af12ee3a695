//! The module graph that docs/architecture.md draws is the code's: same imports, and
//! every import runs down the table.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use regex::Regex;

/// Each module of `src/` (a file or a folder) with the crate modules its code uses,
/// leaving out test code (a `#[cfg(test)] mod tests` at a file's end, `proptests.rs`).
fn imports_in_code(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let path_use = Regex::new(r"\b(?:crate|normbook)::(\w+)").unwrap();
    let group_use = Regex::new(r"use (?:crate|normbook)::\{([^}]*)\}").unwrap();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in rust_files(src) {
        let rel = file.strip_prefix(src).unwrap();
        let top = rel.components().next().unwrap().as_os_str().to_string_lossy().trim_end_matches(".rs").to_string();
        if top == "lib" || rel.ends_with("proptests.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let code = text.split("\n#[cfg(test)]\nmod tests").next().unwrap();
        let mut uses: BTreeSet<String> = path_use.captures_iter(code).map(|c| c[1].to_string()).collect();
        for group in group_use.captures_iter(code) {
            uses.extend(group[1].split(',').map(|part| part.trim().split("::").next().unwrap().to_string()).filter(|m| !m.is_empty()));
        }
        uses.remove(&top);
        graph.entry(top).or_default().extend(uses);
    }
    graph
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().map(Result::unwrap) {
        let path = entry.path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|x| x == "rs") {
            files.push(path);
        }
    }
    files
}

/// The rows of the table under "## Modules": each module, in order, with its imports.
fn table_in_docs(doc: &str) -> Vec<(String, BTreeSet<String>)> {
    let section = doc.split("\n## Modules\n").nth(1).expect("a section `## Modules`");
    let name = Regex::new(r"`(\w+)`").unwrap();
    section
        .lines()
        .take_while(|line| !line.starts_with("## "))
        .filter(|line| line.starts_with("| `"))
        .map(|row| {
            let cells: Vec<&str> = row.trim_matches('|').split('|').collect();
            let module = name.captures(cells[0]).expect("a module name")[1].to_string();
            let imports = name.captures_iter(cells[cells.len() - 1]).map(|c| c[1].to_string()).collect();
            (module, imports)
        })
        .collect()
}

#[test]
fn the_module_graph_in_the_docs_is_the_code_s() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let code = imports_in_code(&root.join("src"));
    let table = table_in_docs(&std::fs::read_to_string(root.join("docs/architecture.md")).unwrap());
    let listed: BTreeMap<String, BTreeSet<String>> = table.iter().cloned().collect();
    assert_eq!(listed, code, "docs/architecture.md's table of modules (left) against the imports in src/ (right)");
    // Each import leads to a row further down: the pipeline has no circle.
    for (row, (module, imports)) in table.iter().enumerate() {
        for import in imports {
            let below = table[row + 1..].iter().any(|(other, _)| other == import);
            assert!(below, "`{module}` imports `{import}`, which is not below it in the table");
        }
    }
}
