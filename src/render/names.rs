//! Where the library's places are on the site: each document's page
//! (`reports/gge-2021.html`), each paragraph's anchor (`gge-2021-71-g`), and links to them,
//! as plain text or escaped for HTML. The library names places; this is where they live.

use crate::content::xref::Place;
use crate::content::{Document, Library};

use super::push_escaped_all;

/// Where report pages go in the output.
pub const REPORTS_DIR: &str = "reports";

/// How links from the site root start in rendered text and templates (`@/reports/a.html`);
/// each page rewrites them from its own place.
pub const ROOT_MARK: &str = "@/";

/// The page of a document, relative to the site root.
pub fn report_url(doc: &Document) -> String {
    format!("{REPORTS_DIR}/{}.html", doc.meta.id)
}

/// The HTML anchor of a paragraph id: `gge-2021:71-g` becomes `gge-2021-71-g`.
pub fn anchor(doc: &str, key: &str) -> String {
    format!("{doc}-{key}")
}

/// Writes the link to a place from `root` (`@/` or a page's `../`): `reports/gge-2021.html`
/// and, for a paragraph, `#gge-2021-71-g`; its ids and key through `push` (an escaper,
/// or `String::push_str`).
pub fn write_href(lib: &Library, place: Place, root: &str, out: &mut String, push: fn(&mut String, &str)) {
    let (doc, key) = match place {
        Place::Document(doc) => (doc, None),
        Place::Node(target) => {
            let target = lib.target_at(target);
            (target.doc, Some(target.key))
        }
    };
    // Only the ids go through `push`: the fixed pieces have nothing to escape.
    let id = lib.docs[doc].meta.id.as_str();
    out.push_str(root);
    out.push_str(REPORTS_DIR);
    out.push('/');
    push(out, id);
    out.push_str(".html");
    if let Some(key) = key {
        out.push('#');
        push(out, id);
        out.push('-');
        push(out, key);
    }
}

/// `write_href` escaped for HTML.
pub fn write_href_html(lib: &Library, place: Place, root: &str, out: &mut String) {
    write_href(lib, place, root, out, push_escaped_all);
}

/// How a place is cited (`A/76/135, para. 71 (g)`), escaped for HTML.
pub fn write_title_html(lib: &Library, place: Place, out: &mut String) {
    lib.write_title(place, out, push_escaped_all);
}

/// The site-root link of a place (`@/reports/gge-2021.html#gge-2021-71-g`).
pub fn link_href(lib: &Library, place: Place) -> String {
    let mut href = String::new();
    write_href(lib, place, ROOT_MARK, &mut href, String::push_str);
    href
}
