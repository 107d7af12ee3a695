//! The site's pages: which output file, which template, which context.

use std::sync::Arc;

use serde::Serialize;

use super::body::{push_rooted, write_report_body};
use super::documents::{Citations, Citer, RenderedDoc};
use super::survey::{PartView, SectionView, SurveyView};
use super::views::{LinkView, PageView, ReportSummary, ReportView, SiteView};
use crate::content::xref::Place;
use crate::content::Library;
use crate::links::ScanRecorder;

/// The relative path from `path` to the site root: `reports/x.html` gives `../`.
pub fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// Stands for a report's text (`report.body`) in its page's context; the text is put in
/// its place after rendering. Copying some 60 KB of text into the context, through the
/// template and out again was most of the cost of templating a large site. A theme that
/// escapes the body, or uses it other than by placing it, does not find the mark in its
/// output and gets the real text (see `Theme::render`).
pub const BODY_MARK: &str = "<!--normbook:report-body-->";

/// A page to render: output path (from the site root), template and context. The context
/// is made only when the page is rendered, on the rendering thread, and dropped after:
/// serializing every page's view up front costs time and holds the whole site twice.
/// A report page holds its document's rendering: where nothing else keeps it (a `build`),
/// it is freed as soon as the page is made.
pub struct Page<'a> {
    pub path: String,
    /// From this page to the site root (`../`), for `@/` links.
    pub root: String,
    pub template: &'static str,
    make_context: Box<dyn FnOnce() -> Context<'a> + Send + 'a>,
}

/// Writes a report's text, its links already made relative, where `BODY_MARK` stood:
/// straight into the page, which saves a copy of the largest part of every report page.
/// With a recorder, it tells the links check what it writes (see `ScanRecorder`).
pub type BodyWriter<'a> = Box<dyn FnOnce(&mut String, Option<&mut ScanRecorder>) + Send + 'a>;

/// What a page is rendered from: the template's context and, on a report page, the
/// writer of the text that `BODY_MARK` stands for.
pub struct Context<'a> {
    pub tera: tera::Context,
    pub body: Option<BodyWriter<'a>>,
}

impl<'a> Page<'a> {
    pub fn into_context(self) -> Context<'a> {
        (self.make_context)()
    }
}

/// A page whose context is `site`, `page` and what `fill` adds (and, for a report, the
/// writer of the body that `fill` returns).
fn page<'a>(site: &'a SiteView, view: PageView, fill: impl FnOnce(&mut tera::Context) -> Option<BodyWriter<'a>> + Send + 'a) -> Page<'a> {
    Page {
        path: view.path.clone(),
        root: view.root.clone(),
        template: template_of(view.kind),
        make_context: Box::new(move || {
            let mut context = tera::Context::new();
            context.insert("site", site);
            context.insert("page", &view);
            let body = fill(&mut context);
            Context { tera: context, body }
        }),
    }
}

fn template_of(kind: &str) -> &'static str {
    match kind {
        "index" => "index.html",
        "reports" => "reports.html",
        "report" => "report.html",
        "survey" => "survey.html",
        "instructions" => "instructions.html",
        "part" => "part.html",
        "section" => "section.html",
        "review" => "review.html",
        "merge" => "merge.html",
        "compare" => "compare.html",
        _ => "404.html",
    }
}

/// Where a report's page goes.
pub fn report_path(report: &ReportView) -> String {
    path_of(&report.summary.href)
}

/// Output path of a `@/` link.
fn path_of(href: &str) -> String {
    href.trim_start_matches("@/").split('#').next().unwrap_or_default().to_string()
}

fn view(title: &str, path: &str, kind: &'static str) -> PageView {
    PageView { title: title.to_string(), path: path.to_string(), root: root_of(path), kind, search_filters: Vec::new() }
}

/// `report:2021 GGE report`: pagefind's syntax for a fixed filter value (a colon in the
/// value would end it).
fn filters(pairs: &[(&str, Option<&str>)]) -> Vec<String> {
    pairs.iter().filter_map(|(name, value)| value.map(|v| format!("{name}:{}", v.replace(':', " ")))).collect()
}

/// The search filter value of survey pages.
const SURVEY_FILTER: &str = "Survey";

/// The previous and next page-sections (norms), for navigation between them.
#[derive(Serialize)]
struct Neighbours<'a> {
    previous: Option<LinkView>,
    next: Option<LinkView>,
    part: &'a PartView,
}

/// What `report.html` gets as `report`: the summary's fields, the citers of the whole
/// report and its text as HTML.
#[derive(Serialize)]
struct ReportPage<'a> {
    #[serde(flatten)]
    summary: &'a ReportSummary,
    cited_in: &'a [LinkView],
    body: &'a str,
}

/// Every page of the site.
pub fn pages<'a>(
    site: &'a SiteView,
    lib: &'a Library,
    citations: &'a Citations,
    reports: Vec<Arc<RenderedDoc>>,
    survey: Option<&'a SurveyView>,
) -> Vec<Page<'a>> {
    let summaries: Arc<Vec<ReportSummary>> = Arc::new(reports.iter().map(|r| r.view.summary.clone()).collect());
    let listed = Arc::clone(&summaries);
    let home = page(site, view(&site.title, "index.html", "index"), move |c| {
        c.insert("reports", &summaries[..]);
        c.insert("survey", &survey);
        None
    });
    let index = page(site, view("Reports", "reports/index.html", "reports"), move |c| {
        c.insert("reports", &listed[..]);
        None
    });
    let mut out = vec![home, index];
    for rendered in reports {
        let path = report_path(&rendered.view);
        let report = &rendered.view;
        let mut v = view(&report.summary.title, &path, "report");
        v.search_filters = filters(&[("report", Some(&report.summary.short_title))]);
        let root = v.root.clone();
        out.push(page(site, v, move |c| {
            let (doc, report) = (rendered.view.doc, &rendered.view);
            let cited_in: Vec<LinkView> =
                citations.citers(Place::Document(doc), &Citer::Document(doc)).map(|citer| citer.link(lib)).collect();
            c.insert("report", &ReportPage { summary: &report.summary, cited_in: &cited_in, body: BODY_MARK });
            Some(Box::new(move |out: &mut String, scan: Option<&mut ScanRecorder>| {
                write_report_body(out, &rendered.view, lib, citations, &root, scan)
            }))
        }));
    }
    if let Some(survey) = survey {
        out.extend(survey_pages(site, survey));
    }
    let mut not_found = view("Page not found", "404.html", "404");
    // The 404 page is served at any depth, so its links start from the base path.
    not_found.root = site.base_path.clone();
    out.push(page(site, not_found, |_| None));
    out
}

fn survey_pages<'a>(site: &'a SiteView, survey: &'a SurveyView) -> Vec<Page<'a>> {
    let mut instructions = view("Instructions", &path_of(&survey.instructions_href), "instructions");
    instructions.search_filters = filters(&[("report", Some(SURVEY_FILTER))]);
    let mut out = vec![
        page(site, view(&survey.title, &path_of(&survey.href), "survey"), move |c| {
            c.insert("survey", survey);
            None
        }),
        page(site, instructions, move |c| {
            c.insert("survey", survey);
            None
        }),
        // Filled in by the browser from the answers it keeps; never indexed for search.
        page(site, view("Review your answers", &path_of(&survey.review_href), "review"), move |c| {
            c.insert("survey", survey);
            None
        }),
        page(site, view("Merge answers files", &path_of(&survey.merge_href), "merge"), move |c| {
            c.insert("survey", survey);
            None
        }),
        page(site, view("Compare with earlier answers", &path_of(&survey.compare_href), "compare"), move |c| {
            c.insert("survey", survey);
            None
        }),
    ];
    let pages: Vec<(&PartView, &SectionView)> =
        survey.parts.iter().flat_map(|p| p.sections.iter().map(move |s| (p, s))).filter(|(_, s)| s.page).collect();
    for part in &survey.parts {
        let mut v = view(&part.title, &path_of(&part.href), "part");
        v.search_filters = filters(&[("report", Some(SURVEY_FILTER)), ("pillar", part.pillar.as_deref())]);
        out.push(page(site, v, move |c| {
            c.insert("part", part);
            None
        }));
    }
    for (i, (part, section)) in pages.iter().enumerate() {
        let link = |s: &SectionView| LinkView { href: s.href.clone(), text: s.full_title() };
        let neighbours =
            Neighbours { previous: i.checked_sub(1).map(|j| link(pages[j].1)), next: pages.get(i + 1).map(|(_, s)| link(s)), part };
        let mut v = view(&section.full_title(), &path_of(&section.href), "section");
        v.search_filters = filters(&[("report", Some(SURVEY_FILTER)), ("pillar", part.pillar.as_deref())]);
        let section: &SectionView = section;
        out.push(page(site, v, move |c| {
            c.insert("section", section);
            c.insert("nav", &neighbours);
            None
        }));
    }
    out
}

/// Rewrites links from the site root (`href="@/x"`, `src="@/x"`) relative to the page's root.
pub fn relativize(html: &str, root: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    push_rooted(&mut out, html, root);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_and_links() {
        assert_eq!(root_of("index.html"), "");
        assert_eq!(root_of("reports/gge-2021.html"), "../");
        assert_eq!(
            relativize("<a href=\"@/reports/a.html#x\"><img src=\"@/i.png\">", "../"),
            "<a href=\"../reports/a.html#x\"><img src=\"../i.png\">"
        );
        assert_eq!(relativize("<a href=\"@/a.html\">", "/handbook/"), "<a href=\"/handbook/a.html\">");
    }
}
