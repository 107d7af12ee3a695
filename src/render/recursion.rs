//! Finds macros of a theme that call themselves with nothing to stop them: Tera has no
//! depth limit, and such a macro would overflow the stack and abort the process.
//!
//! A call counts when it is made whatever the data: outside every `if` and `for` (a loop
//! over an empty list makes no call). A recursion that some condition guards is left to
//! the theme; one whose condition never turns false still overflows the stack, and no
//! check before rendering can know that in general.

use std::collections::{HashMap, HashSet};

use tera::ast::{Expr, ExprVal, Node};
use tera::Tera;

/// A macro, by the template that defines it and its name.
type MacroId = (String, String);

/// Each macro that can reach itself through calls made whatever the data, with the chain
/// of calls (`item -> field -> item`), sorted.
pub fn endless_macros(tera: &Tera) -> Vec<(MacroId, String)> {
    let mut calls: HashMap<MacroId, Vec<MacroId>> = HashMap::new();
    for (file, template) in &tera.templates {
        let namespaces: HashMap<&str, &str> =
            template.imported_macro_files.iter().map(|(file, namespace)| (namespace.as_str(), file.as_str())).collect();
        for (name, definition) in &template.macros {
            let mut called = Vec::new();
            unconditional_calls(&definition.body, &mut called);
            let resolve = |(namespace, callee): (String, String)| {
                let file = if namespace == "self" { Some(file.as_str()) } else { namespaces.get(namespace.as_str()).copied() };
                file.map(|file| (file.to_string(), callee))
            };
            calls.insert((file.clone(), name.clone()), called.into_iter().filter_map(resolve).collect());
        }
    }
    let mut endless: Vec<(MacroId, String)> =
        calls.keys().filter_map(|start| cycle_from(start, &calls).map(|chain| (start.clone(), chain))).collect();
    endless.sort();
    endless
}

/// The chain of names from `start` back to itself, if there is one.
fn cycle_from(start: &MacroId, calls: &HashMap<MacroId, Vec<MacroId>>) -> Option<String> {
    let mut seen = HashSet::new();
    let mut stack = vec![(start.clone(), vec![start.1.clone()])];
    while let Some((id, chain)) = stack.pop() {
        for next in calls.get(&id).into_iter().flatten() {
            if next == start {
                return Some(format!("{} -> {}", chain.join(" -> "), start.1));
            }
            if seen.insert(next.clone()) {
                let mut longer = chain.clone();
                longer.push(next.1.clone());
                stack.push((next.clone(), longer));
            }
        }
    }
    None
}

/// The macro calls (namespace, name) that `nodes` make whatever the data.
fn unconditional_calls(nodes: &[Node], out: &mut Vec<(String, String)>) {
    for node in nodes {
        match node {
            Node::VariableBlock(_, expr) => expression_calls(expr, out),
            Node::Set(_, set) => expression_calls(&set.value, out),
            Node::FilterSection(_, section, _) => unconditional_calls(&section.body, out),
            Node::Block(_, block, _) => unconditional_calls(&block.body, out),
            _ => {}
        }
    }
}

fn expression_calls(expr: &Expr, out: &mut Vec<(String, String)>) {
    let mut values = vec![&expr.val];
    while let Some(value) = values.pop() {
        match value {
            ExprVal::MacroCall(call) => out.push((call.namespace.clone(), call.name.clone())),
            ExprVal::StringConcat(concat) => values.extend(&concat.values),
            ExprVal::Math(math) => values.extend([&math.lhs.val, &math.rhs.val]),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endless(templates: &[(&str, &str)]) -> Vec<String> {
        let mut tera = Tera::default();
        tera.add_raw_templates(templates.to_vec()).unwrap();
        endless_macros(&tera).into_iter().map(|((file, name), chain)| format!("{file}: {name}: {chain}")).collect()
    }

    #[test]
    fn a_macro_that_calls_itself_whatever_the_data_is_found() {
        let macros = "{% macro again(n) %}{{ self::again(n=n) }}{% endmacro again %}";
        assert_eq!(endless(&[("m.html", macros)]), ["m.html: again: again -> again"]);
    }

    #[test]
    fn a_cycle_through_another_file_is_found_with_its_chain() {
        let a = "{% import \"b.html\" as b %}{% macro ping() %}x{{ b::pong() }}{% endmacro ping %}";
        let b = "{% import \"a.html\" as a %}{% macro pong() %}{% set x = a::ping() %}{% endmacro pong %}";
        assert_eq!(endless(&[("a.html", a), ("b.html", b)]), ["a.html: ping: ping -> pong -> ping", "b.html: pong: pong -> ping -> pong"]);
    }

    #[test]
    fn a_recursion_under_a_condition_or_a_loop_is_the_theme_s_to_make() {
        let tree = "{% macro tree(node) %}{% for child in node.children %}{{ self::tree(node=child) }}{% endfor %}{% endmacro tree %}\
                    {% macro count(n) %}{% if n > 0 %}{{ self::count(n=n - 1) }}{% endif %}{% endmacro count %}";
        assert_eq!(endless(&[("m.html", tree)]), Vec::<String>::new());
    }
}
