//! Code highlighting with syntect, as CSS classes (no inline styles, so a strict
//! Content-Security-Policy holds). The syntax set is loaded once, on first use.

use std::sync::LazyLock;

use syntect::highlighting::ThemeSet;
use syntect::html::{css_for_theme_with_class_style, ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };
const THEME: &str = "InspiredGitHub";

/// A `<pre>` block of `code`, highlighted as `lang` when syntect knows it.
pub fn highlight(code: &str, lang: &str) -> String {
    let syntax = SYNTAXES.find_syntax_by_token(lang).unwrap_or_else(|| SYNTAXES.find_syntax_plain_text());
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, &SYNTAXES, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        if generator.parse_html_for_line_which_includes_newline(line).is_err() {
            return format!("<pre class=\"code\"><code>{}</code></pre>", super::escape_html(code));
        }
    }
    let lang_attr = if lang.is_empty() { String::new() } else { format!(" data-lang=\"{}\"", super::escape_html(lang)) };
    format!("<pre class=\"code\"{lang_attr}><code>{}</code></pre>", generator.finalize())
}

/// The stylesheet for the classes `highlight` emits, made once.
pub fn stylesheet() -> &'static str {
    static CSS: LazyLock<String> = LazyLock::new(|| {
        let themes = ThemeSet::load_defaults();
        themes.themes.get(THEME).and_then(|t| css_for_theme_with_class_style(t, CLASS_STYLE).ok()).unwrap_or_default()
    });
    &CSS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_with_classes_not_styles() {
        let html = highlight("fn main() {}\n", "rust");
        assert!(html.starts_with("<pre class=\"code\" data-lang=\"rust\"><code>"), "{html}");
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(!html.contains("style="), "{html}");
        assert!(stylesheet().contains(".hl-"));
    }

    #[test]
    fn unknown_languages_are_plain_and_escaped() {
        let html = highlight("<b>&</b>\n", "no-such-language");
        assert!(html.contains("&lt;b&gt;&amp;&lt;/b&gt;"), "{html}");
    }
}
