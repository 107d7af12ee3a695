//! The build pipeline, stage by stage, from sources to output files (`run_stages`):
//! 1. `Config::load`: site.toml, with command-line overrides; the theme;
//! 2. `content::read_all` + `Library::new`: documents with indexed paragraphs;
//! 3. `survey::load` + `validate`: the questionnaire, checked against the library;
//! 4. `render_document`: Markdown to HTML, references linked, citations found;
//! 5. `gather_citations`: who cites what, for the "Cited in" lists;
//! 6. assets: the theme's `static/`, the site's `static/`, the highlighting stylesheet, the
//!    survey's model; made before the pages, which link each stylesheet and script by a
//!    hash of its bytes (`render::assets`);
//! 7. `pages`: one template context per page, rendered by the theme and written;
//! 8. `links::check_changed`: every internal link and anchor resolves.
//!
//! Every stage adds its problems to one list; the build fails with all of them at once.
//! `build` writes the result atomically, `check` discards it, `serve` serves it and
//! calls the stages through its memo (`Memo`).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::content::paragraph::Body;
use crate::content::{self, xref::Linker, Document, Library};
use crate::error::{Diagnostic, Failed};
use crate::links::{self, LinkSource, LinkSources, PageScan};
use crate::output::{read_tree, OutFile, Staging};
use crate::progress::{Progress, StageClock};
use crate::render;
use crate::render::documents::{gather_citations, render_document, Citations, Found, RenderedDoc};
use crate::render::highlight;
use crate::render::pages::{pages, report_path, Page};
use crate::render::survey::{NodeIndex, SurveyRenderer, SurveyView};
use crate::render::templates::{merge_page_errors, PageError, Theme};
use crate::render::views::{LinkView, NavItem, ReportView, SiteView};
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

/// Runs every stage and returns the site's files, or every problem found.
pub fn render_site(root: &Path, overrides: &Overrides) -> Result<Site, Failed> {
    run_stages(root, overrides, &mut Fresh, Destination::Memory, &Progress::hidden())
}

/// The same, through `memo`, which may answer a stage from the build before (`serve`).
pub fn render_site_with(root: &Path, overrides: &Overrides, memo: &mut impl Memo) -> Result<Site, Failed> {
    run_stages(root, overrides, memo, Destination::Memory, &Progress::hidden())
}

/// How the stages are called. Each method is one stage's call; its default calls the
/// stage, which is what `build` and `check` do (`Fresh`). `serve` keeps what it may take
/// again, keyed by what it was made from (`serve::memo`). No stage knows of either.
pub trait Memo: Sync {
    /// The theme's templates, checked for the survey's when `with_survey`.
    fn theme(&mut self, with_survey: bool, load: impl FnOnce() -> Result<Theme, Vec<Diagnostic>>) -> Result<Arc<Theme>, Vec<Diagnostic>> {
        let _ = with_survey;
        load().map(Arc::new)
    }

    /// The content files (absolute paths, in order), read and parsed.
    fn documents(&mut self, root: &Path, files: &[PathBuf]) -> (Vec<Arc<Document>>, Vec<Diagnostic>) {
        content::read_all(root, files)
    }

    /// The library of `docs`, with the problems of indexing it.
    fn library(&mut self, docs: Vec<Arc<Document>>) -> (Arc<Library>, Vec<Diagnostic>) {
        let mut problems = Vec::new();
        let lib = Library::new(docs, &mut problems);
        (Arc::new(lib), problems)
    }

    /// Every document of `lib` rendered by `render`, in library order; from `bodies` when
    /// they were taken out of the library (each is then freed once rendered).
    fn rendered(
        &mut self,
        lib: &Library,
        bodies: Option<Vec<Body>>,
        render: impl Fn(usize, &Body) -> RenderedDoc + Sync,
    ) -> Vec<Arc<RenderedDoc>> {
        use rayon::prelude::*;
        match bodies {
            Some(bodies) => bodies.into_par_iter().enumerate().map(|(i, body)| Arc::new(render(i, &body))).collect(),
            None => lib.docs.par_iter().enumerate().map(|(i, doc)| Arc::new(render(i, &doc.body))).collect(),
        }
    }

    /// Who cites what: the documents' citations and the survey's, gathered.
    fn citations(&mut self, targets: usize, docs: &[Arc<RenderedDoc>], survey: Found) -> Arc<Citations> {
        Arc::new(gather_citations(targets, docs, &survey))
    }

    /// Told what the pages are made from, before they are made (to key them).
    fn pages_planned(&mut self, site: &SiteView, docs: &[Arc<RenderedDoc>], survey: Option<&SurveyView>) {
        let _ = (site, docs, survey);
    }

    /// A page made by the build before, when it would be made the same now.
    fn page(&self, path: &str) -> Option<Arc<Vec<u8>>> {
        let _ = path;
        None
    }

    /// Told the pages made (in memory), once all are.
    fn pages_made(&mut self, files: &[OutFile]) {
        let _ = files;
    }

    /// The links check of the pages and files made; `reused` were taken from the build
    /// before, byte for byte, and have no scan in `scans`.
    fn links(&mut self, made: LinksMade) -> Vec<Diagnostic> {
        links::check_changed(made.files, made.scans, made.base_path, made.reused, &mut links::Seen::default(), made.sources)
    }

    /// Told how the build ended.
    fn finished(&mut self, good: bool) {
        let _ = good;
    }
}

/// Calls every stage: a build from nothing.
pub struct Fresh;

impl Memo for Fresh {}

/// What the links check is given.
pub struct LinksMade<'a> {
    pub files: &'a [OutFile],
    pub scans: FxHashMap<String, PageScan>,
    pub base_path: &'a str,
    pub reused: &'a HashSet<String>,
    pub sources: &'a LinkSources,
}

/// Where the pages of a build go as they are made.
#[derive(Clone, Copy)]
enum Destination<'s> {
    /// Kept in the site returned (`serve`).
    Memory,
    /// Written to disk (`build`; the search index is made from the files written), into
    /// the output folder named as the settings name it.
    Staging(&'s Staging, &'s Path),
    /// Checked and dropped (`check`).
    Nowhere,
}

/// The stages, in order: load sources → index the library → render documents → gather
/// citations → make pages → write them → check links. Every stage adds its problems to
/// one list; the build fails with all of them at once. Except in memory, the site
/// returned holds only the static files: a large site is never held whole in memory.
/// (Longer than most functions here, on purpose: it is the list of stages, read top to
/// bottom, one call each.)
fn run_stages(
    root: &Path,
    overrides: &Overrides,
    memo: &mut impl Memo,
    destination: Destination,
    progress: &Progress,
) -> Result<Site, Failed> {
    let mut clock = StageClock::start();
    let config = load_config(root, overrides)?;
    let mut problems: Vec<Diagnostic> = Vec::new();
    let with_survey = root.join(survey::SPEC_DIR).is_dir();
    let theme = memo.theme(with_survey, || Theme::load(root, &config, with_survey)).map_err(|p| problems.extend(p)).ok();
    clock.lap("theme");
    let (files, walk_problems) = content::markdown_files(root);
    let (docs, load_problems) = memo.documents(root, &files);
    problems.extend(walk_problems.into_iter().chain(load_problems));
    clock.lap("load");
    let (mut lib, index_problems) = memo.library(docs);
    problems.extend(index_problems);
    clock.lap("index");
    let survey = survey::load(root, &mut problems);
    if let Some(survey) = &survey {
        problems.extend(survey::validate::validate(survey, &lib));
    }
    // Where nothing else holds the documents (a build), their texts are freed as rendered.
    let bodies = Arc::get_mut(&mut lib).and_then(Library::take_bodies);
    let linker = Linker::new(&lib);
    let docs = memo.rendered(&lib, bodies, |index, body| render_document(&lib, &linker, index, body));
    problems.extend(docs.iter().flat_map(|doc| doc.problems.iter().cloned()));
    clock.lap("documents");
    let mut survey_citations = Found::default();
    if let Some(survey) = &survey {
        render::survey::cite(survey, &lib, &mut survey_citations);
    }
    let citations = memo.citations(lib.target_count(), &docs, survey_citations);
    clock.lap("citations");
    let views: Vec<&ReportView> = docs.iter().map(|doc| &doc.view).collect();
    let nodes = if survey.is_some() { NodeIndex::new(&views) } else { NodeIndex::empty() };
    let survey_view =
        survey.as_ref().map(|survey| SurveyRenderer { survey, lib: &lib, linker: &linker, nodes: &nodes, problems: &mut problems }.view());
    let link_sources = link_sources(&lib, &views);
    drop((nodes, views));
    // Made before the pages, which link them by their versions.
    let (survey_model, mut files) = survey.as_ref().map(survey_files).unwrap_or_default();
    let static_files = theme
        .as_ref()
        .map(|theme| assets(root, &theme.static_dir).map_err(|e| problems.push(Diagnostic::file(STATIC_DIR, format!("{e:#}")))));
    let site = site_view(&config, &lib, survey_view.as_ref(), files.iter().chain(static_files.iter().flatten().flatten()), survey_model);
    clock.lap("survey");
    memo.pages_planned(&site, &docs, survey_view.as_ref());
    let pages = pages(&site, &lib, &citations, docs, survey_view.as_ref());
    let page_count = pages.len();
    let Some(theme) = theme else {
        return Err(Failed::new(problems));
    };
    problems.extend(static_clashes(root, &theme.static_dir, &pages));
    clock.lap("contexts");
    let statics = static_files.and_then(Result::ok);
    let statics_read = statics.is_some();
    files.extend(statics.into_iter().flatten());
    let made = write_site(&theme, pages, files, memo, destination, progress, &mut problems);
    clock.lap("templates");
    let Some(made) = made else {
        return Err(Failed::new(problems));
    };
    if statics_read {
        let links =
            LinksMade { files: &made.files, scans: made.scans, base_path: &config.base_path, reused: &made.reused, sources: &link_sources };
        problems.extend(memo.links(links));
        clock.lap("links");
    }
    let files = made.files;
    memo.finished(problems.is_empty());
    if !problems.is_empty() {
        return Err(Failed::new(problems));
    }
    if let Destination::Memory = destination {
        memo.pages_made(&files);
    }
    // Freeing a large site's library and views takes time the caller need not wait for.
    drop(linker);
    drop_later((lib, citations, survey_view));
    Ok(Site { config, files, page_count })
}

/// Writes the generated and static `files`, then renders the pages to `destination`.
/// Returns every file made, with what the links check needs, when every page was made:
/// links are then checked whatever else went wrong, so that a build reports a broken link
/// with the rest.
fn write_site(
    theme: &Theme,
    pages: Vec<Page>,
    mut files: Vec<OutFile>,
    memo: &impl Memo,
    destination: Destination,
    progress: &Progress,
    problems: &mut Vec<Diagnostic>,
) -> Option<PagesMade> {
    // Written first, so that a page made with the same path replaces a static file.
    if let (Destination::Staging(staging, shown), true) = (destination, problems.is_empty()) {
        if let Err(e) = staging.write_all(&files) {
            problems.push(Diagnostic::file(shown, format!("{e:#}")));
        }
    }
    // A build that has failed already renders its pages only to find every problem.
    let destination = if problems.is_empty() { destination } else { Destination::Nowhere };
    let mut made = render_pages(theme, pages, memo, destination, progress);
    let complete = made.problems.is_empty();
    problems.append(&mut made.problems);
    files.append(&mut made.files);
    made.files = files;
    complete.then_some(made)
}

/// Drops `value` on another thread.
fn drop_later<T: Send + 'static>(value: T) {
    std::thread::spawn(move || drop(value));
}

/// What every page knows of the site.
fn site_view<'f>(
    config: &Config,
    lib: &Library,
    survey: Option<&SurveyView>,
    assets: impl IntoIterator<Item = &'f OutFile>,
    survey_model: String,
) -> SiteView {
    SiteView {
        title: config.title.clone(),
        description: config.description.clone(),
        language: config.language.clone(),
        base_path: config.base_path.clone(),
        nav: nav(lib, survey),
        has_survey: survey.is_some(),
        search: config.search,
        assets: render::assets::versioned_urls(assets),
        survey_model,
    }
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

/// The pages of a build, rendered or taken from the build before.
#[derive(Default)]
struct PagesMade {
    /// The pages kept in memory (`serve`).
    files: Vec<OutFile>,
    problems: Vec<Diagnostic>,
    /// Pages taken from the build before, as they were.
    reused: HashSet<String>,
    /// What the links check needs of each page rendered: its ids and links, recorded as
    /// they were written.
    scans: FxHashMap<String, PageScan>,
}

/// One page, made or taken from the build before.
struct PageOutcome {
    file: Result<Option<OutFile>, PageError>,
    scan: Option<(String, PageScan)>,
    reused: bool,
}

/// Renders every page in parallel, but for those `memo` has as they would be made now,
/// and sends each to `destination`.
fn render_pages(theme: &Theme, pages: Vec<Page>, memo: &impl Memo, destination: Destination, progress: &Progress) -> PagesMade {
    use rayon::prelude::*;
    progress.stage("Rendering pages", pages.len());
    let outcomes: Vec<PageOutcome> = pages
        .into_par_iter()
        .map(|page| {
            progress.step();
            if let Some(bytes) = memo.page(&page.path) {
                return PageOutcome { file: Ok(Some(OutFile { path: page.path, bytes })), scan: None, reused: true };
            }
            let path = page.path.clone();
            let (html, scan) = match theme.render(page) {
                Ok(made) => made,
                Err(problem) => return PageOutcome { file: Err(problem), scan: None, reused: false },
            };
            // What was recorded as the page was written must be what reading the page
            // finds, but for links to the page's own ids: the writer leaves out those it
            // knows need no check, so any such link is left out on both sides.
            debug_assert!(scan.without_own_anchors() == crate::links::scan(&html).without_own_anchors(), "{path}: scans differ");
            let file = match destination {
                Destination::Memory => Ok(Some(OutFile { path: path.clone(), bytes: kept_bytes(html) })),
                Destination::Staging(staging, _) => {
                    let problem = |e: anyhow::Error| PageError { problem: Diagnostic::file(&path, format!("{e:#}")), page: path.clone() };
                    staging.write(&path, html.as_bytes()).map_err(problem).map(|()| None)
                }
                Destination::Nowhere => Ok(None),
            };
            PageOutcome { file, scan: Some((path, scan)), reused: false }
        })
        .collect();
    let mut made = PagesMade::default();
    let mut errors = Vec::new();
    for outcome in outcomes {
        made.scans.extend(outcome.scan);
        match outcome.file {
            Ok(Some(file)) => {
                if outcome.reused {
                    made.reused.insert(file.path.clone());
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
        reports.extend(
            lib.docs.iter().map(|d| LinkView { href: format!("@/{}", render::names::report_url(d)), text: d.short_title().to_string() }),
        );
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
    let site = run_stages(root, overrides, &mut Fresh, Destination::Staging(&staging, &config.output_dir), &progress)?;
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
    let site = run_stages(root, &Overrides::default(), &mut Fresh, Destination::Nowhere, &Progress::hidden())?;
    Ok(Summary { pages: site.page_count, elapsed: started.elapsed(), output_dir: None })
}
