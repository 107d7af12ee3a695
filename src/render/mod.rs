//! Rendering: Markdown texts to HTML, the site's pages as typed template contexts, and
//! Tera templates to finished HTML.

pub mod body;
pub mod documents;
pub mod highlight;
pub mod markdown;
pub mod pages;
pub mod survey;
pub mod templates;
pub mod views;

/// Escapes text for HTML element content.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

/// Escapes text for a double-quoted HTML attribute.
pub fn escape_attr(text: &str) -> String {
    escape_html(text).replace('"', "&quot;")
}
