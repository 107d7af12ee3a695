// The questionnaire in a real browser: branching, repeatable groups, word limits,
// answers kept in localStorage, export/import, points of contact in their own file.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve, launch, shutdown, schemaProblems, HOOK } from "./harness.mjs";

let server, browser;
before(async () => {
  server = await serve();
  browser = await launch();
}, HOOK);
after(() => shutdown(browser, server), HOOK);

async function page(path, options = {}) {
  const context = await browser.newContext({ acceptDownloads: true, ...options });
  const p = await context.newPage();
  const requests = [];
  p.on("request", (r) => requests.push(r.url()));
  await p.goto(server.url + path);
  return { p, context, requests };
}

const q = (id) => `[data-q="${id}"]`;

test("answering 2.1 No shows 2.3 and hides 2.2; hidden answers come back", async () => {
  const { p, context } = await page("/survey/norm-a.html");
  await p.check(`${q("2.1")} input[value="yes"]`);
  assert.equal(await p.isVisible(q("2.2")), true);
  assert.equal(await p.isVisible(q("2.3")), false);
  await p.fill(`${q("2.2")} [data-field="title"] input`, "National cyber strategy");
  await p.check(`${q("2.1")} input[value="no"]`);
  assert.equal(await p.isVisible(q("2.3")), true);
  assert.equal(await p.isVisible(q("2.2")), false);
  await p.check(`${q("2.1")} input[value="under-consideration"]`);
  assert.equal(await p.inputValue(`${q("2.2")} [data-field="title"] input`), "National cyber strategy");
  await context.close();
});

test("two initiatives, a 250-word description and every answer survive a reload", async () => {
  const { p, context } = await page("/survey/norm-b.html");
  await p.check(`${q("3.1")} input[value="yes"]`);
  await p.click(`${q("3.2")} [data-add-item]`);
  const items = p.locator(`${q("3.2")} [data-item]`);
  assert.equal(await items.count(), 2);
  await items.nth(0).locator('[data-field="title"] input').fill("First initiative");
  await items.nth(1).locator('[data-field="title"] input').fill("Second initiative");
  await items.nth(1).locator('[data-field="status"] input[value="ongoing"]').check();
  const long = Array.from({ length: 250 }, (_, i) => `word${i}`).join(" ");
  const description = items.nth(0).locator('[data-field="description"] textarea');
  await description.fill(long);
  const count = items.nth(0).locator('[data-field="description"] [data-word-count]');
  assert.match(await count.textContent(), /250 words: 50 over the limit of 200/);
  assert.equal(await description.getAttribute("aria-invalid"), "true");

  await p.reload();
  const again = p.locator(`${q("3.2")} [data-item]`);
  assert.equal(await again.count(), 2);
  assert.equal(await again.nth(0).locator('[data-field="title"] input').inputValue(), "First initiative");
  assert.equal(await again.nth(1).locator('[data-field="title"] input').inputValue(), "Second initiative");
  assert.equal(await again.nth(1).locator('[data-field="status"] input[value="ongoing"]').isChecked(), true);
  assert.equal(await again.nth(0).locator('[data-field="description"] textarea').inputValue(), long);
  assert.equal(await p.isChecked(`${q("3.1")} input[value="yes"]`), true);
  await context.close();
});

test("export, clear, import: every answer comes back; a malformed file changes nothing", async () => {
  const { p, context } = await page("/survey/norm-c.html");
  await p.check(`${q("4.1")} input[value="no"]`);
  await p.check(`${q("4.3")} input[value="other"]`);
  await p.fill(`${q("4.3")} textarea[data-specify="other"]`, "<b>not bold</b> & no budget");
  const [download] = await Promise.all([p.waitForEvent("download"), p.click('[data-export="answers"]')]);
  const dir = await mkdtemp(join(tmpdir(), "normbook-"));
  const file = join(dir, download.suggestedFilename());
  await download.saveAs(file);
  const exported = JSON.parse(await readFile(file, "utf8"));
  assert.equal(exported.format, "normbook-answers");
  assert.deepEqual(exported.answers["4.1"], "no");
  assert.deepEqual(exported.answers["4.3"], { selected: ["other"], specify: { other: "<b>not bold</b> & no budget" } });

  p.once("dialog", (d) => d.accept());
  await p.click("[data-clear]");
  assert.equal(await p.isChecked(`${q("4.1")} input[value="no"]`), false);

  await p.setInputFiles("[data-import]", file);
  await p.waitForFunction(() => document.querySelector("[data-status]").textContent.startsWith("Imported"));
  assert.equal(await p.isChecked(`${q("4.1")} input[value="no"]`), true);
  assert.equal(await p.inputValue(`${q("4.3")} textarea[data-specify="other"]`), "<b>not bold</b> & no budget");

  const broken = join(dir, "broken.json");
  await writeFile(broken, JSON.stringify({ ...exported, answers: { "4.1": "perhaps" } }));
  await p.setInputFiles("[data-import]", broken);
  await p.waitForFunction(() => document.querySelector("[data-status]").classList.contains("error"));
  assert.match(await p.textContent("[data-status]"), /Nothing was imported: the answer to 4.1 is not one of its options/);
  assert.equal(await p.isChecked(`${q("4.1")} input[value="no"]`), true);
  const garbage = join(dir, "garbage.json");
  await writeFile(garbage, "{ not json");
  await p.setInputFiles("[data-import]", garbage);
  await p.waitForFunction(() => /not a JSON file/.test(document.querySelector("[data-status]").textContent));
  await p.reload();
  assert.equal(await p.isChecked(`${q("4.3")} input[value="other"]`), true);
  await context.close();
});

test("an import that breaks the survey's schema is refused with the question and what is wrong, and changes nothing; one that fits imports", async () => {
  const { p, context } = await page("/survey/norm-c.html");
  const ajv = await schemaProblems(server.dir);
  // The page's validator knows every keyword of the schema the build generated.
  assert.deepEqual(await p.evaluate(() => window.normbook.schema.unchecked(window.normbookSchema.schema)), []);
  await p.check(`${q("4.1")} input[value="no"]`);
  const stored = await p.evaluate(() => window.localStorage.getItem("normbook:unidir-nsi"));
  const version = await p.evaluate(() => window.normbookSurvey.version);
  const file = (answers) => ({ format: "normbook-answers", survey: "unidir-nsi", version, contents: "answers", answers, details: {} });
  const dir = await mkdtemp(join(tmpdir(), "normbook-"));
  const refused = [
    [{ "4.1": "yes", "4.3": { selected: ["other", "weather"] } }, "the answer to 4.3 ('selected', item 2) is not one of its options"],
    [{ "4.2": [{ title: "Strategy" }, { title: 2026 }] }, "the answer to 4.2 (item 2, 'title') is not a text"],
    [{ "4.2": "Strategy" }, "the answer to 4.2 is not a list"],
    [{ "4.2": [{ title: "Strategy", colour: "red" }] }, "the answer to 4.2 (item 1) has an unknown entry 'colour'"],
    [{ "4.1": "yes", "9.9": "yes" }, "it answers question 9.9, which this survey does not ask"],
  ];
  for (const [answers, problem] of refused) {
    assert.notDeepEqual(ajv(file(answers)), [], `the schema refuses ${JSON.stringify(answers)}`);
    const path = join(dir, "refused.json");
    await writeFile(path, JSON.stringify(file(answers)));
    await p.evaluate(() => { document.querySelector("[data-status]").textContent = ""; });
    await p.setInputFiles("[data-import]", path);
    await p.waitForFunction(() => document.querySelector("[data-status]").textContent !== "", null, { timeout: 10000 });
    assert.equal(await p.textContent("[data-status]"), `Nothing was imported: ${problem}.`);
    assert.equal(await p.evaluate(() => document.querySelector("[data-status]").classList.contains("error")), true);
    assert.equal(await p.evaluate(() => window.localStorage.getItem("normbook:unidir-nsi")), stored);
    assert.equal(await p.isChecked(`${q("4.1")} input[value="no"]`), true);
  }
  const fits = file({ "4.1": "yes", "4.2": [{ title: "Strategy", status: "ongoing" }] });
  assert.deepEqual(ajv(fits), []);
  const path = join(dir, "fits.json");
  await writeFile(path, JSON.stringify(fits));
  await p.setInputFiles("[data-import]", path);
  await p.waitForFunction(() => document.querySelector("[data-status]").textContent.startsWith("Imported"), null, { timeout: 10000 });
  assert.equal(await p.isChecked(`${q("4.1")} input[value="yes"]`), true);
  assert.equal(await p.inputValue(`${q("4.2")} [data-field="title"] input`), "Strategy");
  assert.equal(await p.isChecked(`${q("4.2")} [data-field="status"] input[value="ongoing"]`), true);
  await context.close();
});

test("points of contact are exported to a file of their own", async () => {
  const { p, context } = await page("/survey/confidence-building.html");
  await p.check(`${q("13.4")} input[value="yes"]`);
  await p.fill(`${q("13.5")} [data-instance="diplomatic"] [data-field="name"] input`, "A. Diplomat");
  await p.check(`${q("13.1")} input[value="no"]`);
  const save = async (kind) => {
    const [download] = await Promise.all([p.waitForEvent("download"), p.click(`[data-export="${kind}"]`)]);
    return JSON.parse(await readFile(await download.path(), "utf8"));
  };
  const answers = await save("answers");
  const contacts = await save("separate");
  assert.equal(answers.contents, "answers");
  assert.equal(answers.answers["13.1"], "no");
  assert.equal("13.5" in answers.answers, false);
  assert.equal(contacts.contents, "separate");
  assert.deepEqual(Object.keys(contacts.answers), ["13.5"]);
  assert.equal(contacts.answers["13.5"].diplomatic.name, "A. Diplomat");
  await context.close();
});

test("without JavaScript every question shows with its branching as text", async () => {
  const { p, context } = await page("/survey/norm-a.html", { javaScriptEnabled: false });
  for (const id of ["2.1", "2.2", "2.3"]) assert.equal(await p.isVisible(q(id)), true, id);
  assert.match(await p.textContent(`${q("2.1")} .branching`), /If Yes or Under consideration, go to 2.2; if No, go to 2.3\./);
  assert.match(await p.textContent(`${q("2.3")} .condition`), /Answer if 2.1 is No\./);
  await context.close();
});

test("pages request nothing from outside the site", async () => {
  const { p, context, requests } = await page("/survey/norm-d.html");
  await p.check(`${q("5.1")} input[value="yes"]`);
  await p.goto(server.url + "/index.html");
  assert.ok(requests.length > 3);
  for (const url of requests) assert.ok(url.startsWith(server.url + "/"), url);
  // Of the questions the answers so far ask: each norm's first, and 5.2 after 5.1 Yes.
  assert.match(await p.textContent('[data-progress-part="norms"] > [data-progress]'), /1 of 12 answered/);
  assert.match(await p.textContent('[data-progress-section="norm-d"] [data-progress]'), /1 of 2 answered/);
  assert.match(await p.textContent('[data-progress-section="norm-e"] [data-progress]'), /0 of 1 answered/);
  await p.goto(server.url + "/survey/norms.html");
  assert.match(await p.textContent('[data-progress-section="norm-d"] [data-progress]'), /1 of 2 answered/, "and in Part Two");
  await context.close();
});

test("who prepared the answers goes with them: stored, in the file and its name, back on import", async () => {
  // A time zone far from UTC, at an hour when its date is not UTC's: the file is named by the local day.
  const { p, context } = await page("/survey/norm-a.html", { timezoneId: "Pacific/Kiritimati" });
  await p.check(`${q("2.1")} input[value="no"]`);
  await p.fill("[data-prepared-by]", "Ministry of Défense");
  await p.reload();
  assert.equal(await p.inputValue("[data-prepared-by]"), "Ministry of Défense", "kept in the browser");
  const today = () => p.evaluate(() => { const d = new Date(); return [d.getFullYear(), d.getMonth() + 1, d.getDate()].map((n) => String(n).padStart(2, "0")).join("-"); });
  const before = await today();
  const [download] = await Promise.all([p.waitForEvent("download"), p.click('[data-export="answers"]')]);
  const after = await today(); // the export may fall either side of midnight
  const names = [before, after].map((day) => `answers-unidir-nsi-ministry-of-defense-${day}.json`);
  assert.ok(names.includes(download.suggestedFilename()), download.suggestedFilename());
  const dir = await mkdtemp(join(tmpdir(), "normbook-"));
  const file = join(dir, download.suggestedFilename());
  await download.saveAs(file);
  assert.equal(JSON.parse(await readFile(file, "utf8")).prepared_by, "Ministry of Défense");
  await p.fill("[data-prepared-by]", "");
  // The file chooser opens from the "Import answers…" button; the input itself stays hidden.
  assert.equal(await p.isVisible("[data-import]"), false);
  const [chooser] = await Promise.all([p.waitForEvent("filechooser", { timeout: 10000 }), p.click("[data-import-button]")]);
  await chooser.setFiles(file);
  await p.waitForFunction(() => document.querySelector("[data-status]").textContent.startsWith("Imported"));
  assert.equal(await p.inputValue("[data-prepared-by]"), "Ministry of Défense", "back with the file");
  // Points of contact are exported only where they are asked.
  assert.equal(await p.isVisible('[data-export="separate"]'), false);
  await p.goto(server.url + "/survey/confidence-building.html");
  assert.equal(await p.isVisible('[data-export="separate"]'), true);
  await context.close();
});
