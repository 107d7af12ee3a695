// The submission step of the finalization page: the user's choices, the survey response
// printed without points of contact, the points of contact printed alone, and the e-mail
// to the address the spec gives. PDFs printed by Chromium, read with poppler-utils.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build, copyHandbook, serveDir, launch, shutdown, HOOK } from "./harness.mjs";

let site, server, browser, dir;
before(async () => {
  site = await build();
  server = await serveDir(site);
  browser = await launch();
  dir = await mkdtemp(join(tmpdir(), "normbook-submission-"));
}, HOOK);
after(() => shutdown(browser, server), HOOK);

const WAIT = { timeout: 10000 };
const q = (id) => `[data-q="${id}"]`;
const CONTACT = { name: "Ada Lovelace", email: "ada.lovelace@cert.example", phone: "+41 22 917 0100" };

async function open(path) {
  const context = await browser.newContext();
  const p = await context.newPage();
  const errors = [];
  p.on("pageerror", (e) => errors.push(String(e)));
  await p.goto(path.startsWith("file:") ? path : server.url + path);
  return { p, context, errors };
}

/** The page printed to an A4 PDF: its text, page by page. */
async function printed(p, name) {
  const file = join(dir, name + ".pdf");
  await writeFile(file, await p.pdf({ format: "A4" }));
  const count = Number(/Pages:\s+(\d+)/.exec(execFileSync("pdfinfo", [file], { encoding: "utf8" }))[1]);
  const pages = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" }).split("\f").slice(0, count);
  return { pages, text: pages.join("\n") };
}

function assertPageNumbers(pages) {
  pages.forEach((page, i) => assert.match(page, new RegExp(`Page ${i + 1} of ${pages.length}\\b`), `page ${i + 1} has no "page X of Y"`));
}

async function fillContact(p) {
  await p.check(`${q("13.4")} input[value="yes"]`);
  const technical = `${q("13.5")} [data-instance="technical"]`;
  for (const [field, value] of Object.entries(CONTACT)) await p.fill(`${technical} [data-field="${field}"] input`, value);
}

test("the response prints with the answers and no contact details; the points of contact print alone, with the survey's note", async () => {
  const { p, context, errors } = await open("/survey/norm-a.html");
  await p.check(`${q("2.1")} input[value="yes"]`);
  await p.fill(`${q("2.2")} [data-field="title"] input`, "National cyber strategy 2024");
  await p.fill("[data-prepared-by]", "Ministry of Foreign Affairs");
  await p.goto(server.url + "/survey/confidence-building.html");
  await fillContact(p);
  await p.goto(server.url + "/survey/finalization.html");
  await p.click("[data-submission-print=response]");
  await p.waitForURL(/review\.html\?print=response$/, WAIT);
  assert.equal(await p.textContent("h1"), "Survey response");
  const response = await printed(p, "response");
  assert.match(response.text, /National cyber strategy 2024/);
  assert.match(response.text, /Prepared by:\s+Ministry of Foreign Affairs/);
  assert.match(response.text, /Date:\s+\d{1,2} \w+ \d{4}/);
  assert.match(response.text, /Norm A/);
  assert.match(response.text, /Not answered/, "unanswered questions are marked");
  assert.match(response.text, /13\.5/);
  assert.match(response.text, /submitted separately/);
  for (const detail of Object.values(CONTACT)) assert.ok(!response.text.includes(detail), `the response holds ${detail}`);
  assert.doesNotMatch(response.text, /Technical POC|Print or save as PDF|Skip to content/);
  assertPageNumbers(response.pages);
  assert.ok(response.pages.length >= 3, `${response.pages.length} pages`);

  await p.goto(server.url + "/survey/finalization.html");
  await p.click("[data-submission-print=separate]");
  await p.waitForURL(/review\.html\?print=contacts$/, WAIT);
  const contacts = await printed(p, "contacts");
  for (const detail of Object.values(CONTACT)) assert.ok(contacts.text.includes(detail), `the points of contact lack ${detail}`);
  assert.match(contacts.text.replace(/\s+/g, " "), /UNIDIR will consolidate the information received/, "the survey's note, from the spec");
  assert.doesNotMatch(contacts.text, /National cyber strategy|Norm A|2\.1/, "nothing of the response");
  assertPageNumbers(contacts.pages);
  assert.deepEqual(errors, []);
  await context.close();
});

test("blank and partly filled prints work, also from a folder", async () => {
  const folder = (path) => {
    const [file, query] = path.split("?");
    return pathToFileURL(join(site, file)).href + (query ? "?" + query : "");
  };
  const { p, context, errors } = await open(folder("survey/review.html?print=response"));
  const blank = await printed(p, "blank-response");
  assert.match(blank.text, /Survey response/);
  assert.match(blank.text, /Prepared by:\s+not given/);
  assert.match(blank.text, /Not answered\. Answer if 2\.1 is Yes or Under consideration\./, "a question waiting for another says so");
  assertPageNumbers(blank.pages);
  await p.goto(folder("survey/review.html?print=contacts"));
  const blankContacts = await printed(p, "blank-contacts");
  assert.match(blankContacts.text, /Central Coordination Authority[\s\S]*Name[\s\S]*Not given/, "every role with blanks to fill in");
  assert.match(blankContacts.text, /Law Enforcement/);

  await p.goto(folder("survey/confidence-building.html"));
  await p.check(`${q("13.4")} input[value="yes"]`);
  await p.fill(`${q("13.5")} [data-instance="diplomatic"] [data-field="name"] input`, "Grace Hopper");
  await p.goto(folder("survey/review.html?print=contacts"));
  const partial = await printed(p, "partial-contacts");
  assert.match(partial.text, /Grace Hopper/);
  assert.match(partial.text, /Technical POC[\s\S]*Not given/, "the roles not filled in stay blank");
  await p.goto(folder("survey/review.html?print=response"));
  assert.doesNotMatch((await printed(p, "partial-response")).text, /Grace Hopper/);
  assert.deepEqual(errors, []);
  await context.close();
});

test("the step follows the user's choices, and the e-mail carries the address, a subject and the PDFs to attach", async () => {
  const { p, context, errors } = await open("/survey/finalization.html");
  const state = (key) => p.textContent(`[data-submission-choice="${key}"] [data-submission-state]`);
  assert.equal(await state("response"), "Not chosen yet");
  assert.equal(await p.isVisible("[data-submission-mailto]"), false, "nothing to send before a choice");
  assert.match(await p.textContent("#submission"), /This site sends nothing/);

  await p.check(`${q("submit-survey")} input[value="yes"]`);
  await p.check(`${q("submit-poc")} input[value="no"]`);
  await p.fill("[data-prepared-by]", "Office of the Cyber Ambassador");
  assert.equal(await state("response"), "To be submitted now, without the points of contact");
  assert.equal(await state("separate"), "Kept separate, in a PDF of their own: not to be submitted");
  assert.equal(await p.textContent("[data-submission-prepared-by]"), "Office of the Cyber Ambassador");
  const mail = new URL(await p.getAttribute("[data-submission-mailto]", "href"));
  assert.equal(mail.protocol + mail.pathname, "mailto:cyberpolicyportal@un.org");
  const subject = mail.searchParams.get("subject");
  assert.match(subject, /^National Survey of Implementation .*: survey response \(Office of the Cyber Ambassador\)$/);
  const body = mail.searchParams.get("body");
  assert.match(body, /the survey response, without the points of contact/);
  assert.doesNotMatch(body, /points of contact, in a PDF of their own/, "only what the user sends");

  await p.check(`${q("submit-survey")} input[value="later"]`);
  await p.check(`${q("submit-poc")} input[value="yes"]`);
  assert.equal(await state("response"), "To be submitted later");
  const later = new URL(await p.getAttribute("[data-submission-mailto]", "href"));
  assert.match(later.searchParams.get("subject"), /: points of contact \(/);
  assert.match(await p.textContent("[data-submission-attach]"), /^Attach the points of contact, in a PDF of their own\./);
  assert.deepEqual(errors, []);
  await context.close();
});

test("the address comes from the survey spec", async () => {
  const copy = await copyHandbook();
  const spec = join(copy, "survey-spec/survey.toml");
  await writeFile(spec, (await readFile(spec, "utf8")).replace('email = "cyberpolicyportal@un.org"', 'email = "nsi-desk@example.org"'));
  const other = await serveDir(await build(copy));
  const context = await browser.newContext();
  const p = await context.newPage();
  await p.goto(other.url + "/survey/finalization.html");
  await p.check(`${q("submit-survey")} input[value="yes"]`);
  assert.match(await p.getAttribute("[data-submission-mailto]", "href"), /^mailto:nsi-desk@example\.org\?subject=/);
  assert.equal(await p.textContent("[data-submission-mailto]"), "Write the e-mail to nsi-desk@example.org");
  await context.close();
  await other.stop();
});
