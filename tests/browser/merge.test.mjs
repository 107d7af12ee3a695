// Answering as a government: the drafts of several ministries merged on the merge page
// (agreements once, conflicts settled by the coordinator, the result exported with its
// sources or made this browser's answers, with an undo), and compared with last period's
// answers on the compare page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build, serveDir, launch, shutdown, downloadJson, schemaProblems, axeViolations, HOOK } from "./harness.mjs";

const WAIT = { timeout: 10000 };
const MFA = "Ministry of Foreign Affairs";
const MOD = "Ministry of Defence";
const CERT = "National CERT";
const INITIATIVE = { title: "Cyber defence doctrine", description: "A doctrine for the armed forces on operations in cyberspace.", status: "ongoing" };
const CONTACT = { name: "Duty officer", email: "duty@cert.example", availability: "24-hours" };

let site, server, browser, schemaErrors, dir, version, paths;
before(async () => {
  site = await build();
  // Every test runs under the strict policy the quality tests hold every page to.
  const csp = { "Content-Security-Policy": "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'" };
  [server, browser, schemaErrors] = await Promise.all([serveDir(site, "/", csp), launch(), schemaProblems(site)]);
  const model = await readFile(join(site, "survey-model.js"), "utf8");
  version = JSON.parse(model.trim().replace(/^window\.normbookSurvey = /, "").replace(/;$/, "")).version;
  dir = await mkdtemp(join(tmpdir(), "normbook-merge-"));
  const file = (contents, by, answers, details = {}) => ({
    format: "normbook-answers", survey: "unidir-nsi", version, exported: "2026-11-20T10:00:00.000Z", contents, answers, details, prepared_by: by,
  });
  const files = {
    "answers-mfa.json": file("answers", MFA, { "2.1": "yes", "3.1": "yes", "13.4": "yes" }),
    "answers-mod.json": file("answers", MOD, { "2.1": "yes", "3.1": "under-consideration", "2.2": [INITIATIVE] }),
    "points-of-contact-cert.json": file("separate", CERT, { "13.5": { technical: CONTACT } }),
    "broken.json": '{ "format": "normbook-answers", ',
    "last-year.json": file("answers", MFA, {
      "2.1": "no", "3.1": "yes",
      "2.2": [{ ...INITIATIVE, description: "A draft doctrine for the armed forces on cyberspace." }, { title: "Retired programme", status: "completed" }],
    }),
  };
  paths = {};
  for (const [name, body] of Object.entries(files)) {
    paths[name] = join(dir, name);
    await writeFile(paths[name], typeof body === "string" ? body : JSON.stringify(body));
  }
}, HOOK);
after(() => shutdown(browser, server), HOOK);

/** A fresh page at `path` (from the server, or a file:// address), with its script errors
 *  and console errors (a broken Content-Security-Policy rule is one). */
async function open(path, options = {}) {
  const context = await browser.newContext({ acceptDownloads: true, ...options });
  const p = await context.newPage();
  const errors = [];
  p.on("pageerror", (e) => errors.push(String(e)));
  p.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  await p.goto(path.startsWith("file:") ? path : server.url + path);
  return { p, context, errors };
}

const download = (p, selector) => downloadJson(p, selector, WAIT.timeout);

/** The exported file without its time of export, which the test cannot know. */
function timeless(file) {
  assert.match(file.exported, /^\d{4}-\d\d-\d\dT/);
  const { exported, ...rest } = file;
  return rest;
}

const THREE = ["answers-mfa.json", "answers-mod.json", "points-of-contact-cert.json"];

async function chooseFiles(p, names) {
  await p.setInputFiles("[data-files-input]", names.map((n) => paths[n]));
  await p.waitForFunction((n) => document.querySelectorAll("[data-files-list] li").length === n, names.length, WAIT);
}

test("three drafts merge: one agreement shown once with its sources, one conflict side by side, the initiatives together, the contact by role", async () => {
  const { p, context, errors } = await open("/survey/merge.html");
  await chooseFiles(p, THREE);
  const agreed = p.locator('[data-files-q="2.1"] [data-merge-state="agreed"]');
  assert.equal(await agreed.locator(".merge-from").textContent(), `Given alike by ${MFA} and ${MOD}`);
  assert.equal(await agreed.locator(".merge-answer").textContent(), "Yes");
  assert.equal(await p.locator('[data-merge-state="agreed"]').count(), 1, "one agreement");
  const conflict = p.locator('[data-merge-conflict="3.1"]');
  assert.equal(await p.locator("[data-merge-conflict]").count(), 1, "one conflict");
  const sides = conflict.locator("[data-merge-candidate]");
  assert.equal(await sides.count(), 2);
  assert.deepEqual(await sides.locator(".merge-from").allTextContents(), [`From ${MFA}`, `From ${MOD}`]);
  assert.match(await sides.nth(1).textContent(), /Under consideration/);
  assert.equal(await p.textContent("[data-merge-progress]"), "0 of 1 conflict resolved");
  assert.match(await p.textContent("[data-merge-counts]"), /1 answer on which files agree.*1 conflict where they differ/);
  // The initiative only the Ministry of Defence gave is in the merge, under its source.
  const items = p.locator('[data-files-q="2.2"] [data-merge-item]');
  assert.equal(await items.count(), 1);
  assert.match(await p.textContent('[data-files-q="2.2"] [data-merge-state="items"] > .merge-from'), /^From Ministry of Defence\.$/);
  assert.match(await items.first().textContent(), /Cyber defence doctrine/);
  // The technical contact, a role no other file fills, under its role.
  assert.match(await p.textContent('[data-files-q="13.5"]'), /Technical POC \(including CERT\/CISIRT\).*From National CERT.*Duty officer/s);
  // Questions no file answered, that the merged answers ask, are listed.
  const unanswered = await p.locator("[data-merge-unanswered-list] li").allTextContents();
  assert.ok(unanswered.some((t) => t.startsWith("1.1 ")), unanswered.join("\n"));
  assert.ok(!unanswered.some((t) => t.startsWith("2.3 ")), "2.3 is skipped when 2.1 is Yes");
  // The open conflict is listed above the export.
  assert.deepEqual(await p.locator("[data-merge-open-list] li").allTextContents(), ["3.1 Has your government taken actions consistent with this norm"]);
  assert.deepEqual(errors, []);
  await context.close();
});

test("the coordinator's choice gives exactly the expected merged files, valid against the schema, and used as the answers with an undo", async () => {
  const { p, context, errors } = await open("/survey/merge.html");
  await chooseFiles(p, THREE);
  await p.click('[data-merge-go="1"]');
  assert.equal(await p.evaluate(() => document.activeElement.getAttribute("data-merge-conflict")), "3.1", "next conflict takes focus");
  await p.check('[data-merge-conflict="3.1"] [data-merge-candidate]:nth-child(2) input[type=radio]');
  assert.equal(await p.textContent("[data-merge-progress]"), "1 of 1 conflict resolved");
  assert.equal(await p.isVisible("[data-merge-open]"), false);
  await p.fill("[data-merge-prepared-by]", "National Cyber Coordinator");
  const answers = await download(p, '[data-merge-export="answers"]');
  assert.match(answers.name, /^answers-unidir-nsi-national-cyber-coordinator-merged-\d{4}-\d\d-\d\d\.json$/);
  assert.deepEqual(timeless(answers.file), {
    format: "normbook-answers", survey: "unidir-nsi", version, contents: "answers",
    answers: { "2.1": "yes", "2.2": [INITIATIVE], "3.1": "under-consideration", "13.4": "yes" },
    details: {},
    prepared_by: "National Cyber Coordinator",
    merged_from: [
      { source: MFA, file: "answers-mfa.json", prepared_by: MFA, exported: "2026-11-20T10:00:00.000Z" },
      { source: MOD, file: "answers-mod.json", prepared_by: MOD, exported: "2026-11-20T10:00:00.000Z" },
    ],
    sources: { "2.1": [MFA, MOD], "2.2": [MOD], "3.1": [MOD], "13.4": [MFA] },
  });
  assert.deepEqual(schemaErrors(answers.file), []);
  const contacts = await download(p, '[data-merge-export="separate"]');
  assert.deepEqual(timeless(contacts.file), {
    format: "normbook-answers", survey: "unidir-nsi", version, contents: "separate",
    answers: { "13.5": { technical: CONTACT } },
    details: {},
    prepared_by: "National Cyber Coordinator",
    merged_from: [{ source: CERT, file: "points-of-contact-cert.json", prepared_by: CERT, exported: "2026-11-20T10:00:00.000Z" }],
    sources: { "13.5/technical": [CERT] },
  });
  assert.deepEqual(schemaErrors(contacts.file), []);

  // Made this browser's answers only after a confirmation that says what it replaces.
  await p.evaluate(() => window.normbookAnswers.restore({ version: 1, answers: { "2.1": "no", "4.1": "yes" }, details: {}, retired: { answers: {}, details: {}, separate: [] }, preparedBy: "" }));
  await p.click("[data-merge-use]");
  const confirm = p.locator("[data-merge-confirm]");
  assert.equal(await confirm.isVisible(), true);
  assert.equal(await p.textContent('[data-merge-change="replaced"] dd'), "2.1");
  assert.equal(await p.textContent('[data-merge-change="removed"] dd'), "4.1");
  assert.equal(await p.textContent('[data-merge-change="added"] dd'), "2.2, 3.1, 13.4, 13.5");
  await p.click("[data-merge-confirm-yes]");
  assert.deepEqual(await p.evaluate(() => window.normbookAnswers.current().answers), {
    "2.1": "yes", "2.2": [INITIATIVE], "3.1": "under-consideration", "13.4": "yes", "13.5": { technical: CONTACT },
  });
  await p.click("[data-merge-undo-button]");
  assert.deepEqual(await p.evaluate(() => window.normbookAnswers.current().answers), { "2.1": "no", "4.1": "yes" });
  assert.deepEqual(errors, []);
  await context.close();
});

/** Drops a file made of `text` on the page's drop zone, as a file dragged from the desktop. */
async function drop(p, name, text) {
  const transfer = await p.evaluateHandle(([n, t]) => {
    const data = new DataTransfer();
    data.items.add(new File([t], n, { type: "application/json" }));
    return data;
  }, [name, text]);
  await p.dispatchEvent("[data-files-drop]", "drop", { dataTransfer: transfer });
}

test("a malformed fourth file is named with its problem, and nothing is merged until it is removed; so is a dropped file of another survey", async () => {
  const { p, context } = await open("/survey/merge.html");
  await chooseFiles(p, THREE);
  await p.setInputFiles("[data-files-input]", paths["broken.json"]);
  const summary = p.locator("[data-files-error]");
  await summary.waitFor(WAIT);
  assert.equal(await summary.locator("li").textContent(), "broken.json: it is not a JSON file.");
  assert.equal(await p.evaluate(() => document.activeElement.hasAttribute("data-files-error")), true, "the summary takes focus");
  assert.equal(await p.isVisible("[data-merge-questions]"), false);
  assert.equal(await p.isVisible("[data-merge-result]"), false);
  await p.click('[aria-label="Remove broken.json"]');
  assert.equal(await summary.isVisible(), false);
  assert.equal(await p.locator("[data-merge-conflict]").count(), 1);
  await drop(p, "foreign.json", JSON.stringify({ format: "normbook-answers", survey: "other-survey", version: 1, contents: "answers", answers: {} }));
  await summary.waitFor(WAIT);
  assert.equal(await summary.locator("li").textContent(), "foreign.json: it holds answers to another survey (other-survey).");
  assert.equal(await p.isVisible("[data-merge-questions]"), false);
  await context.close();
});

test("differing checklists kept together, texts combined by hand, the same initiative from two files once and a near twin flagged", async () => {
  const { p, context, errors } = await open("/survey/merge.html");
  const file = (by, answers, details) => JSON.stringify({ format: "normbook-answers", survey: "unidir-nsi", version, contents: "answers", answers, details, prepared_by: by });
  const twin = { title: "Cyber defence doctrine", status: "completed" };
  await drop(p, "a.json", file(MFA, { "2.1": "no", "2.3": { selected: ["financial"], specify: { financial: "No budget line" } }, "3.1": "yes", "3.2": [INITIATIVE] }, { "1.4": "Text of the Ministry of Foreign Affairs." }));
  await p.locator("[data-files-list] li").waitFor(WAIT);
  await drop(p, "b.json", file(MOD, { "2.1": "no", "2.3": { selected: ["personnel", "financial"] }, "3.1": "yes", "3.2": [INITIATIVE, twin] }, { "1.4": "Text of the Ministry of Defence." }));
  await p.locator("[data-merge-conflict]").first().waitFor(WAIT);
  assert.deepEqual(await p.locator("[data-merge-conflict]").evaluateAll((els) => els.map((e) => e.getAttribute("data-merge-conflict"))), ["1.4/details", "2.3"]);
  const items = p.locator('[data-files-q="3.2"] [data-merge-item]');
  assert.equal(await items.count(), 2, "the initiative both gave is one item");
  assert.match(await items.first().textContent(), new RegExp(`Given alike by ${MFA} and ${MOD}`));
  assert.match(await items.nth(1).textContent(), /Possible duplicate: initiative 1 has the same title/);
  await p.check('[data-merge-conflict="2.3"] input[value="several"]');
  await p.check('[data-merge-conflict="1.4/details"] input[value="write"]');
  await p.fill('[data-merge-conflict="1.4/details"] textarea', "One text for both ministries.");
  assert.equal(await p.textContent("[data-merge-progress]"), "2 of 2 conflicts resolved");
  const { file: merged } = await download(p, '[data-merge-export="answers"]');
  assert.deepEqual(merged.answers, {
    "2.1": "no", "2.3": { selected: ["personnel", "financial"], specify: { financial: "No budget line" } }, "3.1": "yes", "3.2": [INITIATIVE, twin],
  });
  // 1.4 ("if no") is not asked when 1.1 is not answered: its details are kept apart.
  assert.deepEqual(merged.hidden, { answers: {}, details: { "1.4": "One text for both ministries." } });
  assert.deepEqual(merged.sources, { "1.4/details": [MFA, MOD], "2.1": [MFA, MOD], "2.3": [MFA, MOD], "3.1": [MFA, MOD], "3.2": [MFA, MOD] });
  assert.deepEqual(merged.merged_from.map((f) => [f.source, f.file]), [[MFA, "a.json"], [MOD, "b.json"]]);
  assert.deepEqual(schemaErrors(merged), []);
  // Leaving the twin out leaves it out of the file.
  await p.uncheck('[data-files-q="3.2"] [data-merge-item]:nth-child(2) input[type=checkbox]');
  assert.deepEqual((await download(p, '[data-merge-export="answers"]')).file.answers["3.2"], [INITIATIVE]);
  assert.deepEqual(errors, []);
  await context.close();
});

test("two drafts of one file name from different folders are both merged and told apart; a file chosen twice counts once", async () => {
  const { p, context } = await open("/survey/merge.html");
  const file = (answer) => JSON.stringify({ format: "normbook-answers", survey: "unidir-nsi", version, contents: "answers", answers: { "3.1": answer } });
  await drop(p, "answers-unidir-nsi-2026-12-01.json", file("yes"));
  await p.locator("[data-files-list] li").waitFor(WAIT);
  await drop(p, "answers-unidir-nsi-2026-12-01.json", file("yes"));
  await drop(p, "answers-unidir-nsi-2026-12-01.json", file("no"));
  await p.locator("[data-merge-conflict]").waitFor(WAIT);
  assert.equal(await p.locator("[data-files-list] li").count(), 2);
  assert.deepEqual(await p.locator("[data-merge-candidate] .merge-from").allTextContents(),
    ["From answers-unidir-nsi-2026-12-01.json", "From answers-unidir-nsi-2026-12-01.json (2)"]);
  await context.close();
});

test("compare shows what changed since last year, against this browser's answers or another file: 3.1's answer with its words marked, initiatives changed and removed; from a folder too", async () => {
  const { p, context, errors } = await open(pathToFileURL(join(site, "survey/compare.html")).href);
  await p.evaluate((initiative) => window.normbookAnswers.restore({
    version: 1, answers: { "2.1": "yes", "3.1": "under-consideration", "2.2": [initiative] }, details: {},
    retired: { answers: {}, details: {}, separate: [] }, preparedBy: "",
  }), INITIATIVE);
  await p.setInputFiles("[data-files-input]", paths["last-year.json"]);
  const changed = p.locator('[data-files-q="3.1"] [data-compare-state="changed"]');
  await changed.waitFor(WAIT);
  assert.equal(await changed.locator("del").textContent(), "Yes");
  assert.equal(await changed.locator("ins").textContent(), "Under consideration");
  const items = p.locator('[data-files-q="2.2"] [data-compare-item]');
  assert.deepEqual(await items.evaluateAll((els) => els.map((e) => e.getAttribute("data-compare-item"))), ["changed", "removed"]);
  const diff = items.first().locator("[data-compare-diff]");
  assert.deepEqual(await diff.locator("del").allTextContents(), ["draft"]);
  assert.deepEqual(await diff.locator("ins").allTextContents(), ["operations in"]);
  assert.match(await items.nth(1).textContent(), /Retired programme/);
  assert.equal(await p.textContent("[data-compare-counts]"), "3 answers changed, 0 added and 0 removed; 0 as they were.");
  // Against another file instead of this browser's answers: the Ministry of Defence's draft.
  await p.check("#compare-with-file");
  await p.setInputFiles("[data-compare-later-input]", paths["answers-mod.json"]);
  await p.waitForFunction(() => /Later answers/.test(document.querySelector("[data-files-list]").textContent), null, WAIT);
  assert.match(await p.textContent("[data-compare-meta] div:nth-child(2) dd"), /^answers-mod\.json, prepared by Ministry of Defence/);
  assert.equal(await p.textContent('[data-files-q="3.1"] [data-compare-state="changed"] ins'), "Under consideration");
  assert.deepEqual(errors, []);
  await context.close();
});

test("with files loaded, conflicts and differences shown, both pages pass axe-core (WCAG 2.1 AA)", async () => {
  // axe is put into the page as an inline script, which the policy would refuse.
  const { p, context } = await open("/survey/merge.html", { bypassCSP: true });
  await chooseFiles(p, THREE);
  await p.check('[data-merge-conflict="3.1"] [data-merge-candidate] input[type=radio]');
  assert.deepEqual(await axeViolations(p), [], "merge");
  await p.goto(server.url + "/survey/compare.html");
  await p.setInputFiles("[data-files-input]", paths["last-year.json"]);
  await p.locator("[data-compare-questions]").waitFor(WAIT);
  assert.deepEqual(await axeViolations(p), [], "compare");
  await context.close();
});
