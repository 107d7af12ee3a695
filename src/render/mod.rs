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
    push_escaped_html(&mut out, text);
    out
}

/// Escapes text for a double-quoted HTML attribute.
pub fn escape_attr(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_escaped_attr(&mut out, text);
    out
}

/// Appends `text` escaped for element content.
pub fn push_escaped_html(out: &mut String, text: &str) {
    push_escaped(out, text, b"&<>");
}

/// Appends `text` escaped for a double-quoted attribute.
pub fn push_escaped_attr(out: &mut String, text: &str) {
    push_escaped(out, text, b"&<>\"");
}

/// Appends `text` escaped for content or any quoted attribute, apostrophes too: as the
/// templates' own escaping does, so that text written in Rust reads the same.
pub fn push_escaped_all(out: &mut String, text: &str) {
    push_escaped(out, text, b"&<>\"'");
}

/// Escapes the bytes of `text` that are in `special`.
fn push_escaped(out: &mut String, text: &str, special: &[u8]) {
    // Most pieces (ids, keys, labels) have nothing to escape.
    if !text.bytes().any(|b| special.contains(&b)) {
        out.push_str(text);
        return;
    }
    let mut start = 0;
    for (i, byte) in text.bytes().enumerate() {
        let entity = match byte {
            _ if !special.contains(&byte) => continue,
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        };
        out.push_str(&text[start..i]);
        out.push_str(entity);
        start = i + 1;
    }
    out.push_str(&text[start..]);
}
