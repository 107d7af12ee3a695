//! Rendering: Markdown texts to HTML, the site's pages as typed template contexts, and
//! Tera templates to finished HTML.

pub mod assets;
pub mod body;
pub mod documents;
pub mod highlight;
pub mod markdown;
pub mod names;
pub mod pages;
pub mod recursion;
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
    push_escaped(out, text, &HTML_SPECIAL);
}

/// Appends `text` escaped for a double-quoted attribute.
pub fn push_escaped_attr(out: &mut String, text: &str) {
    push_escaped(out, text, &ATTR_SPECIAL);
}

/// Appends `text` escaped for content or any quoted attribute, apostrophes too: as the
/// templates' own escaping does, so that text written in Rust reads the same.
pub fn push_escaped_all(out: &mut String, text: &str) {
    push_escaped(out, text, &ALL_SPECIAL);
}

/// A set of bytes, as a table: one look-up a byte, on every text of a site.
pub type ByteSet = [bool; 256];

/// Where the first byte of `set` lies in `bytes`, for long texts with few such bytes:
/// they are passed over sixteen bytes at a time, a look-up and no branch for each (a
/// fifth of the instructions of a branch for each byte, on paragraphs of prose).
pub fn find_in_set(bytes: &[u8], set: &ByteSet) -> Option<usize> {
    let mut at = 0;
    for chunk in bytes.chunks_exact(16) {
        if chunk.iter().fold(false, |found, &byte| found | set[byte as usize]) {
            break;
        }
        at += 16;
    }
    bytes[at..].iter().position(|&byte| set[byte as usize]).map(|skip| at + skip)
}

/// The set of `bytes`.
pub const fn byte_set(bytes: &[u8]) -> ByteSet {
    let mut table = [false; 256];
    let mut i = 0;
    while i < bytes.len() {
        table[bytes[i] as usize] = true;
        i += 1;
    }
    table
}

/// Which bytes each context escapes.
const HTML_SPECIAL: ByteSet = byte_set(b"&<>");
const ATTR_SPECIAL: ByteSet = byte_set(b"&<>\"");
const ALL_SPECIAL: ByteSet = byte_set(b"&<>\"'");

/// Escapes the bytes of `text` that `special` marks.
fn push_escaped(out: &mut String, text: &str, special: &ByteSet) {
    let bytes = text.as_bytes();
    let mut start = 0;
    // Escaped texts are short (titles, labels): a look-up a byte does best.
    while let Some(found) = bytes[start..].iter().position(|&b| special[b as usize]) {
        let i = start + found;
        out.push_str(&text[start..i]);
        out.push_str(match bytes[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        });
        start = i + 1;
    }
    out.push_str(&text[start..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_context_escapes_its_own_bytes() {
        let text = "A/76/135 <b> & \"q\" 'a' plain";
        assert_eq!(escape_html(text), "A/76/135 &lt;b&gt; &amp; \"q\" 'a' plain");
        assert_eq!(escape_attr(text), "A/76/135 &lt;b&gt; &amp; &quot;q&quot; 'a' plain");
        let mut all = String::new();
        push_escaped_all(&mut all, text);
        assert_eq!(all, "A/76/135 &lt;b&gt; &amp; &quot;q&quot; &#39;a&#39; plain");
        // Text with nothing to escape, at either end or not at all.
        assert_eq!(escape_html("<"), "&lt;");
        assert_eq!(escape_html("é–ü"), "é–ü");
        assert_eq!(escape_html(""), "");
        // Past the first sixteen bytes, and in the last ones.
        assert_eq!(escape_html("Sixteen bytes in & then <b> at the end: >"), "Sixteen bytes in &amp; then &lt;b&gt; at the end: &gt;");
    }
}
