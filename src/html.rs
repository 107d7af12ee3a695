//! Reading HTML as the site writes it: the attributes of its start tags, for the links
//! check and for moving a report's paragraph onto another page.

use std::ops::Range;

/// Calls `attribute(name, value)` for each attribute of each start tag in `html[from..]`,
/// with the range of its value in `html` (quoted either way, or not at all). Text,
/// comments and the text of `script` and `style` are passed over: `href="x"` in a
/// paragraph's words is no attribute. False when a tag, comment or script does not end
/// in `html` (it may end in a part written later).
pub fn for_each_attribute(html: &str, from: usize, mut attribute: impl FnMut(&str, Range<usize>)) -> bool {
    let bytes = html.as_bytes();
    let mut at = from;
    while let Some(open) = memchr::memchr(b'<', &bytes[at..]).map(|i| at + i) {
        let next = match bytes.get(open + 1) {
            // An end tag.
            Some(b'/') => Some(open + 2),
            Some(b'!') if html[open..].starts_with("<!--") => {
                memchr::memmem::find(&bytes[open + 4..], b"-->").map(|found| open + 4 + found + 3)
            }
            Some(first) if first.is_ascii_alphabetic() => {
                let end = start_tag(html, open + 1, &mut attribute);
                match RAW_TEXT.iter().find(|(name, _)| starts_tag(&html[open..], name)) {
                    // A script or style: its text is not read.
                    Some((_, close)) => end.and_then(|end| memchr::memmem::find(&bytes[end..], close.as_bytes()).map(|found| end + found)),
                    None => end,
                }
            }
            // A `<` at the end may start a tag in a part not read yet.
            None => None,
            // A doctype, or a `<` in text.
            Some(_) => Some(open + 1),
        };
        match next {
            Some(next) => at = next,
            None => return false,
        }
    }
    true
}

/// True for the attributes that hold a link: `href` and `src`, in any case.
pub fn is_link_attribute(name: &str) -> bool {
    name.eq_ignore_ascii_case("href") || name.eq_ignore_ascii_case("src")
}

/// The elements whose text holds no tags, and where their text ends.
const RAW_TEXT: [(&str, &str); 2] = [("script", "</script"), ("style", "</style")];

/// True when `html` starts with a start tag named `name` (`<script`), not a longer name.
fn starts_tag(html: &str, name: &str) -> bool {
    let end = name.len() + 1;
    html.get(1..end).is_some_and(|start| start.eq_ignore_ascii_case(name))
        && html.as_bytes().get(end).is_none_or(|&b| b.is_ascii_whitespace() || b == b'>' || b == b'/')
}

/// Reads the attributes of the start tag whose name begins at `at`; returns where the
/// tag ends, or `None` when it does not end in `html`.
fn start_tag(html: &str, mut at: usize, attribute: &mut impl FnMut(&str, Range<usize>)) -> Option<usize> {
    let bytes = html.as_bytes();
    let len = bytes.len();
    let space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c');
    // The tag's name.
    while at < len && !space(bytes[at]) && !matches!(bytes[at], b'>' | b'/') {
        at += 1;
    }
    loop {
        while at < len && (space(bytes[at]) || bytes[at] == b'/') {
            at += 1;
        }
        if *bytes.get(at)? == b'>' {
            return Some(at + 1);
        }
        let name_start = at;
        while at < len && !space(bytes[at]) && !matches!(bytes[at], b'=' | b'>' | b'/') {
            at += 1;
        }
        let name = &html[name_start..at];
        while at < len && space(bytes[at]) {
            at += 1;
        }
        if bytes.get(at) != Some(&b'=') {
            continue;
        }
        at += 1;
        while at < len && space(bytes[at]) {
            at += 1;
        }
        let value = match *bytes.get(at)? {
            quote @ (b'"' | b'\'') => {
                let end = at + 1 + memchr::memchr(quote, &bytes[at + 1..])?;
                let value = at + 1..end;
                at = end + 1;
                value
            }
            _ => {
                let start = at;
                while at < len && !space(bytes[at]) && bytes[at] != b'>' {
                    at += 1;
                }
                start..at
            }
        };
        attribute(name, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attributes(html: &str) -> (Vec<(String, String)>, bool) {
        let mut found = Vec::new();
        let complete = for_each_attribute(html, 0, |name, value| found.push((name.to_string(), html[value].to_string())));
        (found, complete)
    }

    #[test]
    fn attributes_are_read_from_start_tags_quoted_any_way_and_nowhere_else() {
        let html = r##"<!DOCTYPE html><p id=plain class='x'>A paragraph says href="text.html", 3 < 4.</p><br/>
            <a HREF='single.html' title="it's">s</a><img alt="a > b" src=bare.png><input disabled value="">
            <!-- <a href="comment.html"> --><script src="s.js">if (a<b) { x = "<a href='script.html'>"; }</script>
            <style>a[href="style.html"] { color: red }</style><a id = "spaced" href = "spaced.html">s</a>"##;
        let pairs = [
            ("id", "plain"),
            ("class", "x"),
            ("HREF", "single.html"),
            ("title", "it's"),
            ("alt", "a > b"),
            ("src", "bare.png"),
            ("value", ""),
            ("src", "s.js"),
            ("id", "spaced"),
            ("href", "spaced.html"),
        ];
        let expected: Vec<(String, String)> = pairs.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect();
        assert_eq!(attributes(html), (expected, true));
    }

    #[test]
    fn a_tag_comment_or_script_left_open_is_told() {
        for open in [r#"<p>x</p><a class="y" "#, "<!-- a", "<script>x", r#"<a href='x"#, "text <"] {
            assert!(!attributes(open).1, "{open}");
        }
        assert!(attributes("<p>x</p> 3 <4 </p>").1);
    }
}
