// Answers across versions of the site: a page with a cached model of another build, an
// import the browser has no room for, and a new spec that renames one question and
// removes another. In each, no answer the user gave is lost.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { build, serveDir, copyHandbook, launch, shutdown, HOOK } from "./harness.mjs";

// `first` is the handbook; `second`, its next version: 4.2 removed, 4.3 renamed to
// 4.3-challenges (printed as 4.3 still). One server serves either, as deploys would.
let first, second, server, browser;
before(async () => {
  first = await build();
  const copy = await copyHandbook();
  const norms = join(copy, "survey-spec/norms.toml");
  const spec = await readFile(norms, "utf8");
  const next = replaceOnce(
    replaceOnce(
      replaceOnce(spec, '  { if = ["yes", "under-consideration"], goto = "4.2" },\n  { if = ["no"], goto = "4.3" },', '  { if = ["no"], goto = "4.3-challenges" },'),
      /\[\[sections\.questions\]\]\nid = "4\.2"\n[^[]*/,
      "",
    ),
    'id = "4.3"\n',
    'id = "4.3-challenges"\nnumber = "4.3"\nrenamed_from = ["4.3"]\n',
  );
  await writeFile(norms, next);
  const survey = join(copy, "survey-spec/survey.toml");
  await writeFile(survey, replaceOnce(await readFile(survey, "utf8"), /^version = \d+/m, "version = 99"));
  second = await build(copy);
  server = await serveDir(first);
  browser = await launch();
}, HOOK);
after(() => shutdown(browser, server), HOOK);

function replaceOnce(text, pattern, by) {
  const out = text.replace(pattern, by);
  assert.notEqual(out, text, `the spec no longer holds ${pattern}`);
  return out;
}

const q = (id) => `[data-q="${id}"]`;
const STORED = () => window.localStorage.getItem("normbook:unidir-nsi");

/** A new browser profile on the page, with every uncaught error collected. */
async function open(path, init) {
  const context = await browser.newContext({ acceptDownloads: true });
  if (init) await context.addInitScript(init);
  const p = await context.newPage();
  const errors = [];
  p.on("pageerror", (e) => errors.push(String(e)));
  await p.goto(server.url + path);
  return { p, context, errors };
}

async function exported(p, kind = "answers") {
  const [download] = await Promise.all([p.waitForEvent("download"), p.click(`[data-export="${kind}"]`)]);
  const path = await download.path();
  return { path, file: JSON.parse(await readFile(path, "utf8")) };
}

test("pages link each stylesheet and script by a version that changes with it", async () => {
  const html = await readFile(join(first, "survey/norm-c.html"), "utf8");
  const next = await readFile(join(second, "survey/norm-c.html"), "utf8");
  const version = (page, asset) => (page.match(new RegExp(`"\\.\\./${asset.replace(".", "\\.")}\\?v=([0-9a-f]{16})"`)) || [])[1];
  for (const asset of ["style.css", "print.css", "print-pages.css", "form.js", "survey-model.js"]) {
    assert.ok(version(html, asset), `${asset} has no version in ${html.slice(0, 2000)}`);
  }
  // Only the model changed between the two builds.
  assert.notEqual(version(html, "survey-model.js"), version(next, "survey-model.js"));
  assert.equal(version(html, "form.js"), version(next, "form.js"));
  assert.equal(version(html, "style.css"), version(next, "style.css"));
});

test("a page given a survey model of another build says so and leaves stored answers alone", async () => {
  const { p, context, errors } = await open("/survey/norm-c.html");
  await p.check(`${q("4.1")} input[value="no"]`);
  await p.check(`${q("4.3")} input[value="other"]`);
  await p.fill(`${q("4.3")} textarea[data-specify="other"]`, "Staff");
  const stored = await p.evaluate(STORED);
  assert.match(stored, /Staff/);
  // The browser's cache hands the page the next build's model.
  const stale = await readFile(join(second, "survey-model.js"));
  await context.route("**/survey-model.js*", (route) => route.fulfill({ body: stale, contentType: "text/javascript" }));
  await p.reload();
  const notice = p.locator("[data-version-notice]");
  await notice.waitFor({ timeout: 10000 });
  assert.match(await notice.textContent(), /different versions of the site.*Reload the page.*Ctrl\+Shift\+R.*Your saved answers have not been changed/s);
  assert.equal(await p.isDisabled(`${q("4.1")} input[value="yes"]`), true);
  assert.equal(await p.evaluate(STORED), stored);
  // A reload that gets the page's own model brings the form and the answers back.
  await context.unroute("**/survey-model.js*");
  await p.reload();
  assert.equal(await p.locator("[data-version-notice]").count(), 0);
  assert.equal(await p.isChecked(`${q("4.1")} input[value="no"]`), true);
  assert.equal(await p.inputValue(`${q("4.3")} textarea[data-specify="other"]`), "Staff");
  assert.deepEqual(errors, []);
  await context.close();
});

test("an import the browser has no room for changes nothing and says so", async () => {
  // Storage that refuses any value over 4,000 characters, as a full one does.
  const fullStorage = () => {
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = function (key, value) {
      if (String(value).length > 4000) throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
      return setItem.call(this, key, value);
    };
  };
  const { p, context, errors } = await open("/survey/norm-c.html", fullStorage);
  await p.check(`${q("4.1")} input[value="no"]`);
  const { path, file } = await exported(p);
  const stored = await p.evaluate(STORED);
  const large = { ...file, answers: { "4.1": "yes", "4.2": [{ title: "Strategy", description: "word ".repeat(2000) }] } };
  const largePath = path + "-large.json";
  await writeFile(largePath, JSON.stringify(large));
  await p.setInputFiles("[data-import]", largePath);
  await p.waitForFunction(() => document.querySelector("[data-status]").classList.contains("error"), null, { timeout: 10000 });
  assert.match(await p.textContent("[data-status]"), /^Nothing was imported: this browser has no room to keep the answers in .*Your answers are as they were\.$/);
  assert.equal(await p.isChecked(`${q("4.1")} input[value="no"]`), true);
  assert.equal(await p.evaluate(STORED), stored);
  await p.reload();
  assert.equal(await p.isChecked(`${q("4.1")} input[value="no"]`), true);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a renamed question keeps its answer; a removed one's is kept apart until deleted", async () => {
  server.dir = first;
  const { p, context, errors } = await open("/survey/norm-c.html");
  await p.check(`${q("4.1")} input[value="yes"]`);
  await p.fill(`${q("4.2")} [data-field="title"] input`, "Kept initiative");
  await p.check(`${q("4.1")} input[value="no"]`);
  await p.check(`${q("4.3")} input[value="other"]`);
  await p.fill(`${q("4.3")} textarea[data-specify="other"]`, "No budget");
  const before = await exported(p);

  server.dir = second; // the next version is deployed
  await p.reload();
  const renamed = q("4.3-challenges");
  assert.equal(await p.isChecked(`${renamed} input[value="other"]`), true);
  assert.equal(await p.inputValue(`${renamed} textarea[data-specify="other"]`), "No budget");
  const panel = p.locator("[data-retired]");
  assert.equal(await panel.isVisible(), true);
  assert.match(await panel.textContent(), /Answers to questions no longer asked.*Question 4\.2.*title: Kept initiative/s);

  // Editing another answer keeps it, through a reload too.
  await p.check(`${q("4.1")} input[value="under-consideration"]`);
  await p.reload();
  assert.equal(await p.isChecked(`${q("4.1")} input[value="under-consideration"]`), true);
  assert.match(await panel.textContent(), /Kept initiative/);
  const stored = JSON.parse(await p.evaluate(STORED));
  assert.deepEqual(stored.retired.answers, { "4.2": [{ title: "Kept initiative" }] });
  assert.equal("4.3" in stored.answers, false);

  const after = (await exported(p)).file;
  assert.deepEqual(after.retired, { answers: { "4.2": [{ title: "Kept initiative" }] }, details: {} });
  // 4.1 is now Under consideration, so the branching skips 4.3: its answer is kept apart.
  assert.deepEqual(after.hidden.answers["4.3-challenges"], { selected: ["other"], specify: { other: "No budget" } });
  assert.equal("4.3-challenges" in after.answers, false);
  assert.equal("4.2" in after.answers, false);

  p.once("dialog", (d) => d.accept());
  await p.click('[data-delete-retired="4.2"]');
  assert.equal(await panel.isVisible(), false);
  await p.reload();
  assert.equal(await panel.isVisible(), false);
  assert.deepEqual(JSON.parse(await p.evaluate(STORED)).retired.answers, {});

  // A file from the old version imports the same way.
  p.once("dialog", (d) => d.accept());
  await p.click("[data-clear]");
  await p.setInputFiles("[data-import]", before.path);
  await p.waitForFunction(() => document.querySelector("[data-status]").textContent.startsWith("Imported"), null, { timeout: 10000 });
  // Its 4.2 was kept for a skipped question, and the spec no longer asks 4.2.
  assert.match(await p.textContent("[data-status]"), /^Imported 2 answers from .*; 1 answer to questions no longer asked is kept apart below/);
  assert.equal(await p.isChecked(`${renamed} input[value="other"]`), true);
  assert.match(await panel.textContent(), /Question 4\.2.*Kept initiative/s);
  assert.deepEqual(errors, []);
  await context.close();
});
