// Shared set-up for the browser tests: build a handbook with `normbook build`, serve the
// output as a plain static host would, and drive Debian's Chromium with playwright-core.
import { spawnSync } from "node:child_process";
import { createServer as createHttpServer } from "node:http";
import { cp, mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, extname } from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

export const BIN = process.env.NORMBOOK_BIN;
export const ROOT = process.env.NORMBOOK_ROOT;

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".wasm": "application/wasm",
};

/** Builds `root` with `normbook build` into a temporary folder. */
export async function build(root = ROOT, extraArgs = []) {
  if (!BIN) throw new Error("NORMBOOK_BIN is not set: run these tests through `cargo test`");
  const out = await mkdtemp(join(tmpdir(), "normbook-site-"));
  const result = spawnSync(BIN, ["build", "--quiet", "--root", root, "--output", out, ...extraArgs], { encoding: "utf8" });
  if (result.status !== 0) throw new Error("normbook build failed:\n" + result.stderr);
  return out;
}

/**
 * Serves a built site as a plain static host would, under `prefix` ("/" or "/sub/").
 * Setting `dir` on the server returned serves another build at the same address, as a
 * new deploy does.
 */
export async function serveDir(dir, prefix = "/", headers = {}) {
  const site = { dir };
  const server = createHttpServer(async (req, res) => {
    const dir = site.dir;
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (!path.startsWith(prefix) || path.includes("..")) {
      res.writeHead(404).end("not found");
      return;
    }
    let file = join(dir, path.slice(prefix.length));
    if (path.endsWith("/")) file = join(file, "index.html");
    try {
      const body = await readFile(file);
      res.writeHead(200, { "Content-Type": TYPES[extname(file)] || "application/octet-stream", ...headers }).end(body);
    } catch {
      const body = await readFile(join(dir, "404.html")).catch(() => "not found");
      res.writeHead(404, { "Content-Type": "text/html; charset=utf-8", ...headers }).end(body);
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${server.address().port}${prefix.replace(/\/$/, "")}`;
  const stop = () => {
    server.closeAllConnections();
    return new Promise((r) => server.close(r));
  };
  return Object.assign(site, { url, stop });
}

/** A copy of the handbook's sources (not its build), for a test to change. */
export async function copyHandbook() {
  const copy = await mkdtemp(join(tmpdir(), "normbook-copy-"));
  for (const name of ["site.toml", "content", "survey-spec", "themes", "static"]) {
    await cp(join(ROOT, name), join(copy, name), { recursive: true });
  }
  return copy;
}

/** Builds the handbook and serves it. */
export async function serve(root = ROOT) {
  return serveDir(await build(root));
}

export async function launch() {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-gpu"],
  });
}

/** Time limits for set-up and tear-down hooks: a stuck hook fails, it does not hang the run. */
export const HOOK = { timeout: 120000 };

/**
 * Closes a browser or context, waiting at most `ms`: a close that Chromium never answers
 * must not hold the run (playwright kills the browser when the process exits).
 */
export async function closeWithin(closable, ms = 20000) {
  let timer;
  const limit = new Promise((resolve) => { timer = setTimeout(resolve, ms); });
  await Promise.race([closable.close().catch(() => {}), limit]);
  clearTimeout(timer);
}

/** Tears a test file down: servers first (a live server keeps node running), then the browser. */
export async function shutdown(browser, ...servers) {
  for (const server of servers) await server?.stop();
  if (browser) await closeWithin(browser);
}

/**
 * Clicks `selector` on page `p` and returns the JSON file it downloads, parsed, with its
 * suggested name and where it was saved; waits at most `timeout` ms for the download.
 */
export async function downloadJson(p, selector, timeout = 10000) {
  const [file] = await Promise.all([p.waitForEvent("download", { timeout }), p.click(selector)]);
  const path = join(await mkdtemp(join(tmpdir(), "normbook-")), file.suggestedFilename());
  await file.saveAs(path);
  return { name: file.suggestedFilename(), path, file: JSON.parse(await readFile(path, "utf8")) };
}

/** The problems a built site's answers schema finds in a file (none: `[]`), by ajv. */
export async function schemaProblems(site) {
  const Ajv2020 = createRequire(import.meta.url)("ajv/dist/2020").default;
  const schema = JSON.parse(await readFile(join(site, "survey/answers.schema.json"), "utf8"));
  const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
  return (file) => (validate(file) ? [] : validate.errors.map((e) => `${e.instancePath} ${e.message}`));
}

/** The serious and critical WCAG 2.1 AA violations axe-core finds on `page` as it stands. */
export async function axeViolations(page) {
  await page.addScriptTag({ path: createRequire(import.meta.url).resolve("axe-core/axe.min.js") });
  return page.evaluate(async () => {
    const tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
    const result = await window.axe.run(document, { runOnly: { type: "tag", values: tags } });
    return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes[0].target}`);
  });
}
