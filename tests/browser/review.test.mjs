// What a submission holds: only the answers its branching asks (those kept for skipped
// questions are apart in the file and come back when asked again), word limits checked
// before export, and the "Review your answers" page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile, mkdtemp } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build, serveDir, launch, shutdown, HOOK } from "./harness.mjs";

const require = createRequire(import.meta.url);
const Ajv2020 = require("ajv/dist/2020").default;

let site, server, browser, validate;
before(async () => {
  site = await build();
  server = await serveDir(site);
  browser = await launch();
  const schema = JSON.parse(await readFile(join(site, "survey/answers.schema.json"), "utf8"));
  validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
}, HOOK);
after(() => shutdown(browser, server), HOOK);

const q = (id) => `[data-q="${id}"]`;
const WAIT = { timeout: 10000 };

async function open(path, options = {}) {
  const context = await browser.newContext({ acceptDownloads: true, ...options });
  const p = await context.newPage();
  const errors = [];
  p.on("pageerror", (e) => errors.push(String(e)));
  await p.goto(path.startsWith("file:") ? path : server.url + path);
  return { p, context, errors };
}

/** Clicks `selector` and returns the file it downloads, parsed, and where it was saved. */
async function download(p, selector) {
  const [file] = await Promise.all([p.waitForEvent("download", WAIT), p.click(selector)]);
  const path = join(await mkdtemp(join(tmpdir(), "normbook-")), file.suggestedFilename());
  await file.saveAs(path);
  return { path, file: JSON.parse(await readFile(path, "utf8")) };
}

function schemaErrors(file) {
  return validate(file) ? [] : validate.errors.map((e) => `${e.instancePath} ${e.message}`);
}

/** 3.3 answered while 3.1 is No, then 3.1 switched to Yes. */
async function changeMind(p) {
  await p.check(`${q("3.1")} input[value="no"]`);
  await p.check(`${q("3.3")} input[value="other"]`);
  await p.fill(`${q("3.3")} textarea[data-specify="other"]`, "No budget for forensic tooling");
  await p.check(`${q("3.1")} input[value="yes"]`);
}

test("an export with 3.1 Yes holds no answer to 3.3; the kept one comes back on No, also after export, clear and import", async () => {
  const { p, context, errors } = await open("/survey/norm-b.html");
  await changeMind(p);
  const { path, file } = await download(p, '[data-export="answers"]');
  assert.equal(file.answers["3.1"], "yes");
  assert.equal("3.3" in file.answers, false, JSON.stringify(file));
  assert.deepEqual(file.hidden.answers["3.3"], { selected: ["other"], specify: { other: "No budget for forensic tooling" } });
  assert.deepEqual(schemaErrors(file), []);
  assert.match(await p.textContent("[data-status]"), /Exported 1 answer to .*, and apart from them 1 answer kept for questions your answers skip\./);
  assert.deepEqual(await p.evaluate(() => window.normbookAnswers.current().answers), { "3.1": "yes" });

  await p.check(`${q("3.1")} input[value="no"]`);
  assert.equal(await p.isVisible(q("3.3")), true);
  assert.equal(await p.inputValue(`${q("3.3")} textarea[data-specify="other"]`), "No budget for forensic tooling");

  p.once("dialog", (d) => d.accept());
  await p.click("[data-clear]");
  assert.equal(await p.isChecked(`${q("3.3")} input[value="other"]`), false);
  await p.setInputFiles("[data-import]", path);
  await p.waitForFunction(() => document.querySelector("[data-status]").textContent.startsWith("Imported"), null, WAIT);
  assert.match(await p.textContent("[data-status]"), /Imported 1 answer \(and 1 answer kept for questions your answers skip\)/);
  assert.equal(await p.isChecked(`${q("3.1")} input[value="yes"]`), true);
  assert.equal(await p.isVisible(q("3.3")), false);
  await p.check(`${q("3.1")} input[value="no"]`);
  assert.equal(await p.isChecked(`${q("3.3")} input[value="other"]`), true);
  assert.equal(await p.inputValue(`${q("3.3")} textarea[data-specify="other"]`), "No budget for forensic tooling");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a file of the old shape, its skipped answers among the answers, imports and exports them apart", async () => {
  const { p, context } = await open("/survey/norm-b.html");
  const old = join(await mkdtemp(join(tmpdir(), "normbook-")), "old.json");
  const file = {
    format: "normbook-answers", survey: "unidir-nsi", version: 1, exported: "2026-01-01T00:00:00.000Z", contents: "answers",
    answers: { "3.1": "yes", "3.3": { selected: ["other"], specify: { other: "Old answer" } } }, details: {},
  };
  assert.deepEqual(schemaErrors(file), [], "an old file still fits the schema");
  await writeFile(old, JSON.stringify(file));
  await p.setInputFiles("[data-import]", old);
  await p.waitForFunction(() => document.querySelector("[data-status]").textContent.startsWith("Imported"), null, WAIT);
  assert.equal(await p.isVisible(q("3.3")), false);
  const again = (await download(p, '[data-export="answers"]')).file;
  assert.deepEqual(again.answers, { "3.1": "yes" });
  assert.deepEqual(again.hidden.answers, { "3.3": { selected: ["other"], specify: { other: "Old answer" } } });
  // A kept answer that does not fit its question is refused as an answer would be.
  const bad = join(await mkdtemp(join(tmpdir(), "normbook-")), "bad.json");
  await writeFile(bad, JSON.stringify({ ...again, hidden: { answers: { "3.3": "perhaps" } } }));
  assert.notDeepEqual(schemaErrors({ ...again, hidden: { answers: { "3.3": "perhaps" } } }), []);
  await p.setInputFiles("[data-import]", bad);
  await p.waitForFunction(() => document.querySelector("[data-status]").classList.contains("error"), null, WAIT);
  assert.match(await p.textContent("[data-status]"), /Nothing was imported: the answer to 3\.3 is not a list of options \(kept for a skipped question\)/);
  await context.close();
});

test("answers over their word limit are listed before export, each a link that moves focus to its field", async () => {
  const { p, context } = await open("/survey/norm-b.html");
  await p.check(`${q("3.1")} input[value="yes"]`);
  const description = `${q("3.2")} [data-field="description"] textarea`;
  await p.fill(description, Array.from({ length: 230 }, (_, i) => `w${i}`).join(" "));
  let downloads = 0;
  p.on("download", () => downloads++);
  await p.click('[data-export="answers"]');
  const summary = p.locator("[data-error-summary]");
  await summary.waitFor(WAIT);
  assert.equal(await summary.locator('[role="alert"] h2').textContent(), "There is a problem");
  assert.equal(await p.evaluate(() => document.activeElement.matches("[data-error-summary]")), true, "the summary takes focus");
  const link = summary.locator("li a");
  assert.equal(await link.count(), 1);
  assert.equal(await link.textContent(), "Description (initiative 1 of 3.2) must be 200 words or fewer – it has 230.");
  // The field says so above it, and is read with its message.
  const fieldId = await p.getAttribute(description, "id");
  assert.equal(await link.getAttribute("href"), `#${fieldId}`);
  const message = p.locator(`#${fieldId}-error`);
  assert.equal(await message.textContent(), "Error: Description (initiative 1 of 3.2) must be 200 words or fewer – it has 230.");
  assert.equal(await p.evaluate((id) => document.getElementById(id).previousElementSibling.id, fieldId), `${fieldId}-error`);
  assert.match(await p.getAttribute(description, "aria-describedby"), new RegExp(`^${fieldId}-error `));
  await link.click();
  assert.equal(await p.evaluate(() => document.activeElement.id), fieldId);
  assert.equal(downloads, 0, "nothing is exported before the user asks again");

  // From another page, the link leads to the field on its own page.
  await p.goto(server.url + "/survey/norm-a.html");
  await p.click('[data-export="answers"]');
  await p.locator("[data-error-summary] li a").click();
  await p.waitForURL(/norm-b\.html#q-3-2$/, WAIT);
  await p.waitForFunction((id) => document.activeElement && document.activeElement.id === id, fieldId, WAIT);

  // A draft can go as it is, once asked again.
  await p.click('[data-export="answers"]');
  const { file } = await download(p, "[data-error-summary] button");
  assert.equal(file.answers["3.2"][0].description.split(" ").length, 230);
  assert.equal(await p.locator("[data-error-summary]").count(), 0);
  // Within the limit, the field's message goes and export needs no second step.
  await p.fill(description, "Short now.");
  assert.equal(await p.locator(`#${fieldId}-error`).count(), 0);
  await download(p, '[data-export="answers"]');
  await context.close();
});

test("the review page shows typed answers in reading form and lists unanswered questions with links to them", async () => {
  const { p, context, errors } = await open("/survey/norm-b.html");
  await changeMind(p);
  await p.fill(`${q("3.2")} [data-field="title"] input`, "National CERT <coordination>");
  await p.check(`${q("3.2")} [data-field="status"] input[value="ongoing"]`);
  await p.goto(server.url + "/survey/norm-a.html");
  await p.click("a[href$='review.html']");
  await p.waitForURL(/survey\/review\.html$/, WAIT);

  const row = (id) => p.locator(`[data-review-q="${id}"]`);
  assert.equal(await row("3.1").locator("[data-review-answer]").textContent(), "Yes");
  const initiative = row("3.2").locator("[data-review-answer]");
  assert.equal(await initiative.locator("input, textarea").count(), 0, "answers are text, not fields");
  assert.match(await initiative.innerText(), /Initiative 1\s+Title\s+National CERT <coordination>\s+Status\s+ongoing/);
  // 3.3's answer is kept for a changed mind, never shown as an answer.
  assert.match(await row("3.3").textContent(), /Does not apply, given your answers\. Answer if 3\.1 is No\./);
  assert.doesNotMatch(await p.textContent("main"), /forensic tooling/);

  const unanswered = p.locator("[data-review-unanswered]");
  assert.match(await unanswered.textContent(), /You have answered 2 of the \d+ questions that your answers lead to\./);
  const names = await unanswered.locator("li a").allTextContents();
  assert.ok(names.some((n) => n.startsWith("2.1 ")), names.join("\n"));
  assert.ok(!names.some((n) => /^3\.[123] /.test(n)), names.join("\n"));
  await unanswered.locator("li a", { hasText: /^4\.1 / }).click();
  await p.waitForURL(/survey\/norm-c\.html#q-4-1$/, WAIT);
  assert.deepEqual(errors, []);
  await context.close();
});

test("the review page keeps points of contact apart, works from a folder and explains itself without JavaScript", async () => {
  const folder = (path) => pathToFileURL(join(site, path)).href;
  const { p, context } = await open(folder("survey/confidence-building.html"));
  await p.check(`${q("13.4")} input[value="yes"]`);
  await p.fill(`${q("13.5")} [data-instance="technical"] [data-field="email"] input`, "cert@example.org");
  await p.goto(folder("survey/review.html"));
  const separate = p.locator(".review-separate");
  assert.match(await separate.locator('[data-review-q="13.5"]').innerText(), /Technical POC[^\n]*\s+Email\s+cert@example\.org/);
  assert.doesNotMatch(await p.locator(".review-part:not(.review-separate)").allInnerTexts().then((t) => t.join()), /cert@example\.org/);
  await context.close();

  const off = await open("/survey/review.html", { javaScriptEnabled: false });
  assert.equal(await off.p.isVisible("[data-review-nojs]"), true);
  assert.match(await off.p.textContent("[data-review-nojs]"), /needs JavaScript/);
  assert.equal(await off.p.isVisible("[data-review-unanswered]"), false);
  assert.ok((await off.p.locator("[data-review-link]").count()) > 40, "every question links to its place");
  await off.context.close();
});
