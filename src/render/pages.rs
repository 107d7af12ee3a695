//! The site's pages: which output file, which template, which context.

use serde::Serialize;

use super::views::{PageView, ReportSummary, ReportView, SiteView};

/// A page to render: output path (from the site root), template and context.
pub struct Page {
    pub path: String,
    pub template: &'static str,
    pub context: tera::Context,
}

/// The relative path from `path` to the site root: `reports/x.html` gives `../`.
pub fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

fn page<T: Serialize>(site: &SiteView, view: PageView, extra: &[(&str, &T)]) -> Page {
    let mut context = tera::Context::new();
    context.insert("site", site);
    context.insert("page", &view);
    for (key, value) in extra {
        context.insert(*key, value);
    }
    Page {
        path: view.path.clone(),
        template: template_of(view.kind),
        context,
    }
}

fn template_of(kind: &str) -> &'static str {
    match kind {
        "index" => "index.html",
        "reports" => "reports.html",
        "report" => "report.html",
        _ => "404.html",
    }
}

fn view(title: &str, path: &str, kind: &'static str) -> PageView {
    PageView {
        title: title.to_string(),
        path: path.to_string(),
        root: root_of(path),
        kind,
    }
}

/// Every page of the site.
pub fn pages(site: &SiteView, reports: &[ReportView]) -> Vec<Page> {
    let summaries: Vec<&ReportSummary> = reports.iter().map(|r| &r.summary).collect();
    let mut out = vec![
        page(
            site,
            view(&site.title, "index.html", "index"),
            &[("reports", &summaries)],
        ),
        page(
            site,
            view("Reports", "reports/index.html", "reports"),
            &[("reports", &summaries)],
        ),
    ];
    for report in reports {
        let path = format!("reports/{}.html", report.summary.id);
        out.push(page(
            site,
            view(&report.summary.title, &path, "report"),
            &[("report", report)],
        ));
    }
    let mut not_found = view("Page not found", "404.html", "404");
    // The 404 page is served at any depth, so its links start from the base path.
    not_found.root = site.base_path.clone();
    out.push(page::<()>(site, not_found, &[]));
    out
}

/// Rewrites links from the site root (`href="@/x"`, `src="@/x"`) relative to the page's root.
pub fn relativize(html: &str, root: &str) -> String {
    html.replace("=\"@/", &format!("=\"{root}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_and_links() {
        assert_eq!(root_of("index.html"), "");
        assert_eq!(root_of("reports/gge-2021.html"), "../");
        assert_eq!(
            relativize(
                "<a href=\"@/reports/a.html#x\"><img src=\"@/i.png\">",
                "../"
            ),
            "<a href=\"../reports/a.html#x\"><img src=\"../i.png\">"
        );
        assert_eq!(
            relativize("<a href=\"@/a.html\">", "/handbook/"),
            "<a href=\"/handbook/a.html\">"
        );
    }
}
