//! The build pipeline, stage by stage, from sources to output files:
//! 1. `Config::load`: site.toml, with command-line overrides;
//! 2. `content::load` + `Library::new`: documents with indexed paragraphs;
//! 3. `survey::load` + `validate`: the questionnaire, checked against the library;
//! 4. `render_documents`: Markdown to HTML, references linked, citations gathered;
//! 5. `pages`: one template context per page, rendered by the theme;
//! 6. assets: the theme's `static/`, the site's `static/`, the highlighting stylesheet, the
//!    survey's model; read before the pages, which link each stylesheet and script by a
//!    hash of its bytes (`render::assets`).
//!
//! Every stage adds its problems to one list; the build fails with all of them at once.
//! `build` writes the result atomically, `check` discards it, `serve` serves it.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::content::{self, xref::Linker, Library};
use crate::error::{Diagnostic, Failed};
use crate::links::{LinkSource, LinkSources, PageScan};
use crate::output::{read_tree, OutFile, Staging};
use crate::progress::Progress;
use crate::render;
use crate::render::documents::{attach_citations, render_documents, Found};
use crate::render::highlight;
use crate::render::pages::{list_keys, pages, report_path, Page};
use crate::render::survey::{NodeIndex, SurveyRenderer, SurveyView};
use crate::render::templates::{merge_page_errors, PageError, Theme};
use crate::render::views::{LinkView, NavItem, ReportView, SiteView};
use crate::reuse::{self, Gathered, RenderedPage, Reuse};
use crate::survey;
use rustc_hash::FxHashMap;

pub const STATIC_DIR: &str = "static";

/// Settings given on the command line, over those of site.toml.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub output_dir: Option<PathBuf>,
    pub base_path: Option<String>,
    /// Skip the search index (quick builds).
    pub no_search: bool,
    /// Replace an output folder that holds files of its own (no marker of an earlier build).
    pub force: bool,
    /// Show progress on stderr when it is a terminal (`build` without `--quiet`).
    pub progress: bool,
}

/// A built site, in memory.
pub struct Site {
    pub config: Config,
    pub files: Vec<OutFile>,
    pub page_count: usize,
}

/// What `build` or `check` reports when done.
pub struct Summary {
    pub pages: usize,
    pub elapsed: Duration,
    pub output_dir: Option<PathBuf>,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ms = self.elapsed.as_millis();
        match &self.output_dir {
            Some(dir) => write!(f, "Built {} pages in {ms} ms into {}", self.pages, dir.display()),
            None => write!(f, "Checked {} pages in {ms} ms: no problems", self.pages),
        }
    }
}

pub fn load_config(root: &Path, overrides: &Overrides) -> Result<Config, Failed> {
    let mut config = Config::load(root).map_err(Failed::new)?;
    if let Some(dir) = &overrides.output_dir {
        config.output_dir = dir.clone();
    }
    if let Some(base) = &overrides.base_path {
        config.base_path = crate::config::normalize_base_path(base);
    }
    if overrides.no_search {
        config.search = false;
    }
    Ok(config)
}

/// Prints how long each stage took, the CPU time it used (user and system: page faults
/// show as system time) and the memory then resident (Linux), when `NORMBOOK_TIMINGS` is
/// set (for profiling).
struct StageClock {
    last: Option<(Instant, [f64; 2])>,
}

/// User and system CPU seconds of this process so far, from /proc (Linux; else zero).
fn cpu_seconds() -> [f64; 2] {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(')').map_or("", |(_, rest)| rest).split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0) / 100.0;
    [ticks(11), ticks(12)]
}

impl StageClock {
    fn start() -> Self {
        StageClock { last: std::env::var_os("NORMBOOK_TIMINGS").map(|_| (Instant::now(), cpu_seconds())) }
    }

    fn lap(&mut self, stage: &str) {
        if let Some((last, [user, system])) = self.last {
            let rss_mb = std::fs::read_to_string("/proc/self/statm")
                .ok()
                .and_then(|s| s.split_whitespace().nth(1)?.parse::<f64>().ok())
                .map_or(0.0, |pages| pages * 4096.0 / 1048576.0);
            let cpu = cpu_seconds();
            eprintln!(
                "{stage:>10}: {:>6.1} ms, cpu {:>5.0} ms user {:>5.0} ms sys, {rss_mb:>6.0} MB resident",
                last.elapsed().as_secs_f64() * 1000.0,
                (cpu[0] - user) * 1000.0,
                (cpu[1] - system) * 1000.0
            );
            self.last = Some((Instant::now(), cpu));
        }
    }
}

/// Runs every stage and returns the site's files, or every problem found.
pub fn render_site(root: &Path, overrides: &Overrides) -> Result<Site, Failed> {
    render_site_with(root, overrides, &mut Reuse::default())
}

/// The same, taking from `reuse` what has not changed since the last build (the theme,
/// documents, report pages) and leaving there what the next rebuild may take.
pub fn render_site_with(root: &Path, overrides: &Overrides, reuse: &mut Reuse) -> Result<Site, Failed> {
    render_site_into(root, overrides, reuse, Destination::Memory, &Progress::hidden())
}

/// Where the pages of a build go as they are made.
#[derive(Clone, Copy)]
enum Destination<'s> {
    /// Kept in the site returned (`serve`).
    Memory,
    /// Written to disk (`build`; the search index is made from the files written).
    Staging(&'s Staging),
    /// Checked and dropped (`check`).
    Nowhere,
}

impl Destination<'_> {
    /// True when nothing follows the build but the end of the process: `check`, and a
    /// `build` without a search index (pagefind, which follows, needs the memory freed).
    fn ends_process(self, search: bool) -> bool {
        match self {
            Destination::Memory => false,
            Destination::Staging(_) => !search,
            Destination::Nowhere => true,
        }
    }
}

/// The same, sending pages to `destination`. Except in memory, the site returned holds only
/// the static files (for the links check): a large site is never held whole in memory.
fn render_site_into(
    root: &Path,
    overrides: &Overrides,
    reuse: &mut Reuse,
    destination: Destination,
    progress: &Progress,
) -> Result<Site, Failed> {
    let mut clock = StageClock::start();
    let config = load_config(root, overrides)?;
    let mut problems: Vec<Diagnostic> = Vec::new();
    let with_survey = root.join(survey::SPEC_DIR).is_dir();
    // The theme is checked for the survey's templates only when there is a survey.
    if reuse.theme.is_none() || reuse.theme_with_survey != with_survey {
        reuse.forget_theme();
        reuse.theme = Theme::load(root, &config, with_survey).map(Arc::new).map_err(|p| problems.extend(p)).ok();
        reuse.theme_with_survey = with_survey;
    }
    let theme = reuse.theme.clone();
    clock.lap("theme");

    let (docs, load_problems) = content::load_reusing(root, reuse.keep.then_some(&mut reuse.sources));
    clock.lap("load");
    problems.extend(load_problems);
    let mut lib = match reuse.library.take().and_then(|lib| lib.with_texts_of(&docs)) {
        Some(lib) => lib,
        None => Library::new(docs, &mut problems),
    };
    clock.lap("index");
    let survey = survey::load(root, &mut problems);
    if let Some(survey) = &survey {
        problems.extend(survey::validate::validate(survey, &lib));
    }
    // A build that keeps nothing frees each document's texts once it is rendered.
    let bodies = if reuse.keep { None } else { lib.take_bodies() };
    let linker = Linker::new(&lib);
    let mut rendered = render_documents(&lib, &linker, &reuse.docs, bodies);
    clock.lap("documents");
    let mut survey_citations = Found::default();
    if let Some(survey) = &survey {
        render::survey::cite(survey, &lib, &mut survey_citations);
    }
    for doc in &rendered {
        problems.extend(doc.problems.iter().cloned());
    }
    // `serve` keeps the citations, to take them again while every citation found (the
    // survey's too) is as before.
    let gathered = reuse.keep.then(|| Gathered::new(lib.target_count(), &rendered, survey_citations.clone(), reuse.gathered.take()));
    let citations = match &gathered {
        Some(gathered) => Arc::clone(&gathered.citations),
        None => Arc::new(reuse::gather(lib.target_count(), &rendered, &survey_citations)),
    };
    clock.lap("citations");
    // `build` takes the views and fills their "Cited in" lists; `serve` keeps the
    // renderings and fills copies only for the report pages it must make again.
    let doc_keys: Vec<u64> = rendered.iter().map(|doc| doc.key).collect();
    let mut owned: Vec<ReportView> = Vec::new();
    if !reuse.keep {
        owned = rendered.drain(..).map(|doc| Arc::try_unwrap(doc).map_or_else(|doc| doc.view.clone(), |doc| doc.view)).collect();
        use rayon::prelude::*;
        owned.par_iter_mut().for_each(|report| attach_citations(report, &citations));
    }
    let base: Vec<&ReportView> = if reuse.keep { rendered.iter().map(|doc| &doc.view).collect() } else { owned.iter().collect() };
    // Embedded copies of paragraphs carry no "Cited in" list, so the base views will do.
    let nodes = if survey.is_some() { NodeIndex::new(&base) } else { NodeIndex::empty() };
    let survey_view =
        survey.as_ref().map(|survey| SurveyRenderer { survey, lib: &lib, linker: &linker, nodes: &nodes, problems: &mut problems }.view());

    // Made before the pages, which link them by their versions.
    let mut files = Vec::new();
    let mut survey_model = String::new();
    if let Some(survey) = &survey {
        (survey_model, files) = survey_files(survey);
    }
    let static_files = theme
        .as_ref()
        .map(|theme| assets(root, &theme.static_dir).map_err(|e| problems.push(Diagnostic::file(STATIC_DIR, format!("{e:#}")))));
    let asset_urls = render::assets::versioned_urls(files.iter().chain(static_files.iter().flatten().flatten()));
    let site = SiteView {
        title: config.title.clone(),
        description: config.description.clone(),
        language: config.language.clone(),
        base_path: config.base_path.clone(),
        nav: nav(&lib, survey_view.as_ref()),
        has_survey: survey_view.is_some(),
        search: config.search,
        assets: asset_urls,
        survey_model,
    };
    clock.lap("survey");
    let (page_keys, completed) = if let Some(gathered) = &gathered {
        let site_key = reuse::json_key(&site);
        let (mut keys, completed) = complete_changed(&base, &doc_keys, gathered, site_key, &reuse.pages);
        keys.extend(list_keys(site_key, &base, survey_view.as_ref()));
        (keys, completed)
    } else {
        (HashMap::new(), Vec::new())
    };
    drop(nodes);
    let link_sources = link_sources(&lib, &base);
    // `build` hands each view to its page, which frees it once made.
    let views: Vec<Cow<ReportView>> = if reuse.keep {
        base.iter().enumerate().map(|(i, b)| Cow::Borrowed(completed.get(i).and_then(Option::as_ref).unwrap_or(b))).collect()
    } else {
        owned.into_iter().map(Cow::Owned).collect()
    };
    let pages = pages(&site, &lib, views, survey_view.as_ref());
    let page_count = pages.len();
    if let Some(theme) = &theme {
        problems.extend(static_clashes(root, &theme.static_dir, &pages));
    }
    clock.lap("contexts");
    let mut made = PagesMade::default();
    // Set once every page and static file has been made: their links can then be checked,
    // whatever else went wrong, so that a build reports a broken link with the rest.
    let mut site_made = false;
    if let Some(theme) = &theme {
        site_made = matches!(static_files, Some(Ok(_)));
        files.extend(static_files.into_iter().flatten().flatten());
        // Written first, so that a page made with the same path replaces a static file.
        if let (Destination::Staging(staging), true) = (destination, problems.is_empty()) {
            if let Err(e) = staging.write_all(&files) {
                problems.push(Diagnostic::file(&config.output_dir, format!("{e:#}")));
            }
        }
        // A build that has failed already renders its pages only to find every problem.
        let destination = if problems.is_empty() { destination } else { Destination::Nowhere };
        made = render_pages(theme, pages, &page_keys, &reuse.pages, destination, progress);
        site_made &= made.problems.is_empty();
        files.append(&mut made.files);
        problems.append(&mut made.problems);
    } else {
        drop(pages);
    }
    clock.lap("templates");
    if site_made {
        let scans = std::mem::take(&mut made.scans);
        problems.extend(crate::links::check_changed(&files, scans, &config.base_path, &made.reused, &mut reuse.links, &link_sources));
        clock.lap("links");
    }
    if !problems.is_empty() {
        if site_made {
            // What this check saw is not what the next build reuses (the last good build's
            // pages): the next one reads every page.
            reuse.links = Default::default();
        }
        return Err(Failed::new(problems));
    }
    reuse.pages = made.kept;
    if reuse.keep {
        drop(linker);
        reuse.docs = lib.docs.iter().map(|d| d.path.clone()).zip(rendered).collect();
        // Freeing a large site's views takes tens of milliseconds that a reload need not wait for.
        reuse.library = Some(lib);
        reuse.gathered = gathered;
        reuse::drop_later((completed, survey_view));
    } else if destination.ends_process(config.search) {
        // Freeing a large library piece by piece (a million strings at 10,000 pages) would
        // only delay the end.
        drop(linker);
        std::mem::forget((lib, citations, survey_view));
    }
    Ok(Site { config, files, page_count })
}

/// For `serve`: the key of each report page, and a copy of its view with the "Cited in"
/// lists filled for each page that must be made again (`None` where `last` holds the page
/// under the same key). Report pages are made again only when their document, a "Cited
/// in" list or the site around them changed.
fn complete_changed(
    base: &[&ReportView],
    doc_keys: &[u64],
    gathered: &Gathered,
    site_key: u64,
    last: &HashMap<String, RenderedPage>,
) -> (HashMap<String, u64>, Vec<Option<ReportView>>) {
    use rayon::prelude::*;
    let citations = &gathered.citations;
    let keys: HashMap<String, u64> = doc_keys
        .par_iter()
        .zip(&gathered.lists)
        .zip(base)
        .map(|((doc, lists), report)| (report_path(report), reuse::report_page_key(*doc, *lists, site_key)))
        .collect();
    let completed = base
        .par_iter()
        .map(|report| {
            let path = report_path(report);
            let kept = last.get(&path).is_some_and(|kept| Some(&kept.key) == keys.get(&path));
            (!kept).then(|| {
                let mut copy = (*report).clone();
                attach_citations(&mut copy, citations);
                copy
            })
        })
        .collect();
    (keys, completed)
}

/// Where each link written in a document's Markdown lies, by its report page and the link
/// as that page holds it: escaped as pulldown-cmark writes it (the check reads `&amp;` as
/// `&`), and from the page's place where written from the site root (`@/`).
fn link_sources(lib: &Library, reports: &[&ReportView]) -> LinkSources {
    let mut sources = LinkSources::default();
    for report in reports.iter().filter(|report| !report.links.is_empty()) {
        let page = report_path(report);
        let root = render::pages::root_of(&page);
        for (written, line) in &report.links {
            let mut escaped = String::new();
            let _ = pulldown_cmark_escape::escape_href(&mut escaped, written);
            let link = escaped.replace("&amp;", "&");
            let link = match link.strip_prefix("@/") {
                Some(from_root) => format!("{root}{from_root}"),
                None => link,
            };
            let source = LinkSource { file: lib.docs[report.doc].path.clone(), line: *line, written: written.clone() };
            sources.add(&page, link, source);
        }
    }
    sources
}

/// A page's bytes, to be kept: without the room left over from writing it (a report page
/// is written into room for 64 KB of text, which doubles when its text is longer). A copy,
/// since mimalloc keeps a block that shrinks to no less than half its size.
fn kept_bytes(html: String) -> Arc<Vec<u8>> {
    if html.capacity() - html.len() > html.len() / 16 {
        return Arc::new(html.as_bytes().to_vec());
    }
    Arc::new(html.into_bytes())
}

/// The pages of a build, rendered or taken from the last one.
#[derive(Default)]
struct PagesMade {
    files: Vec<OutFile>,
    problems: Vec<Diagnostic>,
    /// Pages taken from the last build as they were.
    reused: HashSet<String>,
    /// What the next rebuild may reuse: report pages, by path.
    kept: HashMap<String, RenderedPage>,
    /// What the links check needs of the pages written already.
    scans: FxHashMap<String, PageScan>,
}

/// One page, made or taken from the last build.
struct PageOutcome {
    file: Result<Option<OutFile>, PageError>,
    kept: Option<RenderedPage>,
    scan: Option<(String, PageScan)>,
    fresh: bool,
}

/// Renders every page in parallel, except a page with a key (a report page) that `last`
/// holds under the same key. Pages written to staging are not kept.
fn render_pages(
    theme: &Theme,
    pages: Vec<Page>,
    keys: &HashMap<String, u64>,
    last: &HashMap<String, RenderedPage>,
    destination: Destination,
    progress: &Progress,
) -> PagesMade {
    use rayon::prelude::*;
    progress.stage("Rendering pages", pages.len());
    let outcomes: Vec<PageOutcome> = pages
        .into_par_iter()
        .map(|page| {
            progress.step();
            let key = keys.get(&page.path).copied();
            if let Some(kept) = last.get(&page.path).filter(|kept| Some(kept.key) == key) {
                let file = OutFile { path: page.path.clone(), bytes: Arc::clone(&kept.bytes) };
                return PageOutcome { file: Ok(Some(file)), kept: Some(kept.clone()), scan: None, fresh: false };
            }
            let path = page.path.clone();
            // Written (or dropped) now, a page is checked from what was read as it was made.
            let wants_scan = !matches!(destination, Destination::Memory);
            let (html, scan) = match theme.render(page, wants_scan) {
                Ok(made) => made,
                Err(problem) => return PageOutcome { file: Err(problem), kept: None, scan: None, fresh: true },
            };
            if let Destination::Memory = destination {
                let file = OutFile { path, bytes: kept_bytes(html) };
                let kept = key.map(|key| RenderedPage { key, bytes: Arc::clone(&file.bytes) });
                return PageOutcome { file: Ok(Some(file)), kept, scan: None, fresh: true };
            }
            // What was read as the page was made must be what reading the page finds, but
            // for links to the page's own ids: the writer leaves out those it knows need no
            // check, so any such link (a Markdown one too) is left out on both sides.
            debug_assert!(
                scan.as_ref().is_none_or(|scan| scan.without_own_anchors() == crate::links::scan(&html).without_own_anchors()),
                "{path}: scans differ"
            );
            let scan = scan.map(|scan| (path.clone(), scan));
            let file = match destination {
                Destination::Staging(staging) => {
                    let problem = |e: anyhow::Error| PageError { problem: Diagnostic::file(&path, format!("{e:#}")), page: path.clone() };
                    staging.write(&path, html.as_bytes()).map_err(problem).map(|()| None)
                }
                _ => Ok(None),
            };
            PageOutcome { file, kept: None, scan, fresh: true }
        })
        .collect();
    let mut made = PagesMade::default();
    let mut errors = Vec::new();
    for outcome in outcomes {
        made.scans.extend(outcome.scan);
        match outcome.file {
            Ok(Some(file)) => {
                if !outcome.fresh {
                    made.reused.insert(file.path.clone());
                }
                if let Some(kept) = outcome.kept {
                    made.kept.insert(file.path.clone(), kept);
                }
                made.files.push(file);
            }
            Ok(None) => {}
            Err(error) => errors.push(error),
        }
    }
    made.problems = merge_page_errors(errors);
    made
}

/// The search bundle of the pages written to `staging`.
fn search_bundle(staging: &Staging, config: &Config, progress: &Progress) -> Result<Vec<OutFile>, Failed> {
    crate::search::index_folder(staging.dir(), &config.language, progress)
        .map_err(|e| Failed::new(vec![Diagnostic::file(crate::config::CONFIG_FILE, format!("search index: {e:#}"))]))
}

fn nav(lib: &Library, survey: Option<&SurveyView>) -> Vec<NavItem> {
    let link = |href: &str, text: &str| LinkView { href: href.into(), text: text.into() };
    let group = |text: &str, folder: &str, links: Vec<LinkView>| NavItem {
        text: text.into(),
        href: links[0].href.clone(),
        links,
        folder: folder.into(),
    };
    let mut nav = vec![NavItem { text: "Home".into(), href: "@/index.html".into(), links: Vec::new(), folder: String::new() }];
    if let Some(survey) = survey {
        let mut links = vec![link(&survey.instructions_href, "Instructions")];
        links.extend(survey.parts.iter().map(|p| link(&p.href, &p.title)));
        links.push(link(&survey.href, "Whole survey"));
        let folder = survey.href.trim_start_matches("@/").rsplit_once('/').map_or(String::new(), |(folder, _)| format!("{folder}/"));
        nav.push(group("Survey", &folder, links));
    }
    let mut reports = vec![link("@/reports/index.html", "All reports")];
    // A handful of reports are listed by name; a library of hundreds only through the index.
    if lib.docs.len() <= 6 {
        reports.extend(lib.docs.iter().map(|d| LinkView { href: format!("@/{}", d.url()), text: d.short_title().to_string() }));
    }
    nav.push(group("Reports", "reports/", reports));
    nav
}

/// The answers' JSON Schema and the browser's model of the questions, with the model's
/// stamp: the spec's version and a hash of the model, which the model and every page
/// carry, so that the form sees when a cached model is not the page's.
fn survey_files(survey: &survey::Survey) -> (String, Vec<OutFile>) {
    let schema_value = survey::schema::answers_schema(survey);
    let schema = serde_json::to_string_pretty(&schema_value).expect("JSON");
    let mut model = survey::schema::client_model(survey);
    let stamp = format!("{}-{}", survey.spec.version, render::assets::content_hash(model.to_string().as_bytes()));
    model["stamp"] = serde_json::json!(stamp);
    // The schema again as a script, for the import check (file:// pages cannot fetch), with
    // the model's stamp: a cached copy of another build is refused as a stale model is.
    let schema_script = serde_json::json!({ "stamp": stamp, "schema": schema_value });
    let files = vec![
        OutFile { path: "survey/answers.schema.json".into(), bytes: Arc::new(schema.into_bytes()) },
        OutFile { path: "survey-model.js".into(), bytes: Arc::new(format!("window.normbookSurvey = {model};\n").into_bytes()) },
        OutFile { path: "survey-schema.js".into(), bytes: Arc::new(format!("window.normbookSchema = {schema_script};\n").into_bytes()) },
        OutFile { path: "print-pages.css".into(), bytes: Arc::new(survey::print::running_headers(survey).into_bytes()) },
    ];
    (stamp, files)
}

/// Theme assets, then the site's own static files (which win), then the highlighting styles.
fn assets(root: &Path, theme_static: &Path) -> anyhow::Result<Vec<OutFile>> {
    let mut files = read_tree(theme_static)?;
    for file in read_tree(&root.join(STATIC_DIR))? {
        files.retain(|f| f.path != file.path);
        files.push(file);
    }
    files.push(OutFile { path: "syntax.css".into(), bytes: Arc::new(highlight::stylesheet().as_bytes().to_vec()) });
    Ok(files)
}

/// Static files, the theme's or the site's, that would take the place of a page or of a
/// folder of pages (or whose folder a page would take), named with the page.
fn static_clashes(root: &Path, theme_static: &Path, pages: &[Page]) -> Vec<Diagnostic> {
    let page_paths: HashSet<&str> = pages.iter().map(|page| page.path.as_str()).collect();
    // Each folder that holds pages, with one of them: found once, not per static file.
    let mut page_folders: HashMap<&str, &str> = HashMap::new();
    for page in pages.iter().map(|page| page.path.as_str()) {
        for (end, _) in page.match_indices('/') {
            page_folders.entry(&page[..end]).or_insert(page);
        }
    }
    let folder_of_pages = |path: &str| page_folders.get(path).copied();
    let mut problems = Vec::new();
    for folder in [root.join(STATIC_DIR), theme_static.to_path_buf()] {
        let shown = folder.strip_prefix(root).unwrap_or(&folder).to_path_buf();
        for file in crate::output::files_under(&folder).unwrap_or_default() {
            let clash = if page_paths.contains(file.as_str()) {
                Some(format!("clashes with the page {file} that the site makes: rename or remove the file"))
            } else if let Some(page) = folder_of_pages(&file) {
                Some(format!("is a file where the site makes a folder of pages ({page}): rename or remove the file"))
            } else {
                let mut parents = file.match_indices('/').map(|(i, _)| &file[..i]);
                parents
                    .find(|parent| page_paths.contains(parent))
                    .map(|page| format!("lies in a folder named like the page {page}: rename or move the file"))
            };
            problems.extend(clash.map(|message| Diagnostic::file(shown.join(&file), message)));
        }
    }
    problems
}

/// The static files alone, for a rebuild after only they changed.
pub fn static_files(root: &Path, overrides: &Overrides) -> anyhow::Result<(Config, Vec<OutFile>)> {
    let config = load_config(root, overrides)?;
    let theme_static = root.join(crate::render::templates::THEMES_DIR).join(&config.theme).join("static");
    let files = assets(root, &theme_static)?;
    Ok((config, files))
}

/// Builds the site into its output folder, replacing the old one only on success.
pub fn build(root: &Path, overrides: &Overrides) -> anyhow::Result<Summary> {
    let started = Instant::now();
    let config = load_config(root, overrides)?;
    let out_dir = crate::output::through_link(&root.join(&config.output_dir));
    refuse_harmful_output(root, &out_dir, &config, overrides)?;
    let staging = Staging::new(&out_dir)?;
    let mut clock = StageClock::start();
    let progress = Progress::on_terminal(overrides.progress);
    let site = render_site_into(root, overrides, &mut Reuse::default(), Destination::Staging(&staging), &progress)?;
    clock.lap("all stages");
    if site.config.search {
        staging.write_all(&search_bundle(&staging, &site.config, &progress)?)?;
    }
    progress.finish();
    clock.lap("search");
    staging.commit()?;
    clock.lap("write");
    Ok(Summary { pages: site.page_count, elapsed: started.elapsed(), output_dir: Some(site.config.output_dir) })
}

/// The folders a build reads from, under the root: never an output folder, nor inside one.
const SOURCE_DIRS: &[&str] = &[content::CONTENT_DIR, STATIC_DIR, survey::SPEC_DIR, render::templates::THEMES_DIR];

/// Refuses, before anything is written, an output folder whose replacement would lose the
/// user's work: a source folder or the handbook's own, a file, a folder of other files.
fn refuse_harmful_output(root: &Path, out_dir: &Path, config: &Config, overrides: &Overrides) -> Result<(), Failed> {
    let reason = crate::output::unsafe_output(root, out_dir, SOURCE_DIRS)
        .map(|reason| format!("{reason}; a build replaces its output folder whole, so it must be a folder of its own, such as `public`"))
        .or_else(|| crate::output::unreplaceable(out_dir, overrides.force));
    let Some(reason) = reason else {
        return Ok(());
    };
    let shown = config.output_dir.display();
    let problem = match &overrides.output_dir {
        Some(_) => Diagnostic::file("--output", format!("`{shown}` {reason}. Nothing was written")),
        None => config.problem_with("output_dir", format!("`{shown}` {reason}. Nothing was written")),
    };
    Err(Failed::new(vec![problem]))
}

/// Loads, validates and renders everything; writes nothing.
pub fn check(root: &Path) -> Result<Summary, Failed> {
    let started = Instant::now();
    let site = render_site_into(root, &Overrides::default(), &mut Reuse::default(), Destination::Nowhere, &Progress::hidden())?;
    Ok(Summary { pages: site.page_count, elapsed: started.elapsed(), output_dir: None })
}
