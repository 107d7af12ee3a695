//! Template contexts, typed and serializable, and the rendered reports they are made from.
//!
//! Every template gets `site` (`SiteView`) and `page` (`PageView`). On top of that:
//! `report.html` gets `report`: the fields of `ReportSummary`, `cited_in` and `body`, the
//! report's text as HTML (`render::body` writes it), `reports.html` gets `reports`
//! (`[ReportSummary]`), `index.html` gets `reports` and `survey` (or null), `404.html`
//! nothing more. With a survey (views in `render::survey`): `survey.html` and
//! `instructions.html` get `survey`; `part.html` gets `part`; `section.html`
//! (a section with a page of its own, such as a norm) gets `section` and `nav`
//! (`previous`, `next`, `part`).
//! Links starting with `@/` are relative to the site root and are rewritten for each page.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::content::TargetId;

/// What every page knows about the site.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    pub language: String,
    pub base_path: String,
    /// The main navigation: links, and groups of links (the survey, the reports).
    pub nav: Vec<NavItem>,
    /// True when the handbook has a survey (pages then load the form scripts).
    pub has_survey: bool,
    /// True when the build makes a search index (pages then show a search box).
    pub search: bool,
    /// Each stylesheet and script, by its path from the site root, as the URL to link it
    /// by, which carries its version: `assets["form.js"]` is `@/form.js?v=<hash>`.
    pub assets: BTreeMap<String, String>,
    /// The stamp of the survey's model (`survey-model.js`), which pages carry so that the
    /// form can tell a model from another build; empty without a survey.
    pub survey_model: String,
}

/// The page being rendered.
#[derive(Debug, Clone, Serialize)]
pub struct PageView {
    pub title: String,
    /// Path of the output file from the site root (`reports/gge-2021.html`).
    pub path: String,
    /// Relative path from this page to the site root (`../`), or the base path on the 404 page.
    pub root: String,
    /// The template kind: `index`, `reports`, `report`, `404`, `survey`, `instructions`,
    /// `part`, `section`.
    pub kind: &'static str,
    /// Search filters of the page, as `name:value` (`report:2021 GGE report`); empty when
    /// the page is not indexed (it repeats others, or is only a list).
    pub search_filters: Vec<String>,
}

/// An entry of the main navigation: a link, or a group of links under a name (`links`
/// not empty, `href` then the group's first page).
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub struct NavItem {
    pub text: String,
    pub href: String,
    pub links: Vec<LinkView>,
    /// The folder of the pages a group leads to (`survey/`): on any of them, the group is
    /// the current one.
    pub folder: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub struct LinkView {
    pub href: String,
    pub text: String,
}

/// A document as listed in the index of reports.
#[derive(Debug, Clone, Serialize)]
pub struct ReportSummary {
    pub id: String,
    pub href: String,
    pub title: String,
    pub short_title: String,
    pub symbol: Option<String>,
    pub date: Option<String>,
    pub extract: bool,
    /// The paragraphs the file holds, as written in its front matter (`9-13, 16-18`).
    pub paragraphs: String,
    pub paragraph_count: usize,
}

/// A document's full text, block by block (`render::body` writes it as HTML).
#[derive(Debug, Clone)]
pub struct ReportView {
    /// Index of the document in the library.
    pub doc: usize,
    pub summary: ReportSummary,
    pub blocks: Vec<BlockView>,
    /// Footnotes cited only from headings, shown at the end.
    pub footnotes: Vec<FootnoteView>,
    /// The destination of each link and image written in the document's Markdown, with
    /// its line: a broken one is reported where it was written.
    pub links: Vec<(String, usize)>,
}

impl ReportView {
    /// Every numbered paragraph and sub-item, depth first.
    pub fn nodes(&self) -> impl Iterator<Item = &NodeView> {
        let mut stack: Vec<&NodeView> = self
            .blocks
            .iter()
            .rev()
            .filter_map(|b| match b {
                BlockView::Paragraph(node) => Some(node),
                _ => None,
            })
            .collect();
        std::iter::from_fn(move || {
            let node = stack.pop()?;
            stack.extend(node.children.iter().rev().filter_map(|c| match c {
                ChildView::Item(item) => Some(item.as_ref()),
                ChildView::Text { .. } => None,
            }));
            Some(node)
        })
    }
}

#[derive(Debug, Clone)]
pub enum BlockView {
    Heading { level: u8, html: String, anchor: String },
    Paragraph(NodeView),
    Prose { html: String, footnotes: Vec<FootnoteView> },
}

/// A numbered paragraph or sub-item. Its id (`gge-2021:71-g`), anchor, link, label and
/// citation all follow from its target, and are written from the library when its page
/// is made: a large site has hundreds of thousands of these.
#[derive(Debug, Clone)]
pub struct NodeView {
    pub target: TargetId,
    pub html: String,
    pub children: Vec<ChildView>,
    pub footnotes: Vec<FootnoteView>,
}

#[derive(Debug, Clone)]
pub enum ChildView {
    Text { html: String },
    Item(Box<NodeView>),
}

#[derive(Debug, Clone, Serialize)]
pub struct FootnoteView {
    pub label: String,
    pub anchor: String,
    pub html: String,
}
