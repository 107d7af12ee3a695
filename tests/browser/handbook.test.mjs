// Finding one's way as a delegate: norms named by their subject, a menu grouped and
// marked, folded on a phone (without script too), the whole survey's contents.
// Screenshots of the pages looked at are kept in target/screenshots/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { serve, launch, shutdown, HOOK, ROOT } from "./harness.mjs";

let server, browser;
const SHOTS = join(ROOT, "target", "screenshots");
before(async () => {
  server = await serve();
  browser = await launch();
  await mkdir(SHOTS, { recursive: true });
}, HOOK);
after(() => shutdown(browser, server), HOOK);

const PHONE = { viewport: { width: 390, height: 844 } };
const DESKTOP = { viewport: { width: 1280, height: 900 } };

async function open(path, options) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  await page.goto(server.url + path);
  return { page, context };
}

test("every norm is named by its subject on the home page, its own page and its neighbours'", async () => {
  const { page, context } = await open("/index.html", DESKTOP);
  const norm = page.locator('[data-progress-section="norm-b"]');
  assert.match(await norm.innerText(), /^Norm B: In case of ICT incidents, States should consider all…/);
  await page.screenshot({ path: join(SHOTS, "home-desktop.png"), fullPage: true });
  await page.goto(server.url + "/survey/norm-b.html");
  assert.match(await page.title(), /^Norm B: In case of ICT incidents, States should consider all… · /);
  assert.equal(await page.locator("h1").innerText(), "Norm B\nIn case of ICT incidents, States should consider all…");
  assert.match(await page.locator('.pager a[rel="next"]').innerText(), /^Norm C: States should not knowingly allow their territory/);
  assert.match(await page.locator('.pager a[rel="prev"]').innerText(), /Norm A: Consistent with the purposes of the United Nations/);
  const crumbs = await page.locator(".breadcrumb li").allInnerTexts();
  assert.deepEqual(crumbs.map((c) => c.trim()), ["Home", "Part Two: Norms, Rules and Principles for Responsible State Behaviour", "Norm B: In case of ICT incidents, States should consider all…"]);
  await page.screenshot({ path: join(SHOTS, "norm-b-desktop.png"), fullPage: true });
  await context.close();
});

test("the menu is grouped in one row on a desktop, with the current page and group marked", async () => {
  const { page, context } = await open("/survey/norms.html", DESKTOP);
  const rows = await page.locator(".nav-list > li").evaluateAll((items) => new Set(items.map((li) => Math.round(li.getBoundingClientRect().top))).size);
  assert.equal(rows, 1, "one row of menu entries");
  assert.equal(await page.locator(".nav-list > li").count(), 3, "Home, Survey, Reports");
  assert.equal(await page.locator(".nav-group.current summary").innerText(), "Survey");
  await page.click(".nav-group.current summary");
  const current = page.locator('.site-nav a[aria-current="page"]');
  assert.equal(await current.count(), 1);
  assert.match(await current.innerText(), /^Part Two: Norms/);
  await page.goto(server.url + "/reports/gge-2021.html");
  assert.equal(await page.locator(".nav-group.current summary").innerText(), "Reports");
  await context.close();
});

for (const script of [true, false]) {
  test(`on a phone the menu folds behind one button${script ? "" : ", without JavaScript too"}`, async () => {
    const { page, context } = await open("/survey/norm-b.html", { ...PHONE, javaScriptEnabled: script });
    const menu = page.locator(".nav-menu > summary");
    assert.equal(await menu.isVisible(), true);
    assert.equal(await page.locator(".nav-group summary", { hasText: "Survey" }).isVisible(), false, "folded");
    const header = await page.locator(".site-header").boundingBox();
    assert.ok(header.height < 844 / 5, `the header takes ${header.height}px of 844`);
    if (script) await page.screenshot({ path: join(SHOTS, "norm-b-phone.png") });
    await menu.click();
    await page.locator(".nav-group summary", { hasText: "Survey" }).click();
    const link = page.locator(".nav-group a", { hasText: "Whole survey" });
    assert.equal(await link.isVisible(), true);
    await link.click();
    await page.waitForURL(/survey\/index\.html$/, { timeout: 10000 });
    if (script) {
      await page.goto(server.url + "/index.html");
      await page.screenshot({ path: join(SHOTS, "home-phone.png"), fullPage: true });
    }
    await context.close();
  });
}

test("the whole survey opens with a table of contents linking every part and norm", async () => {
  const { page, context } = await open("/survey/index.html", DESKTOP);
  assert.equal(await page.locator(".respondent").isVisible(), false, "the lines for a name and date are for paper only");
  const links = await page.locator(".contents a").evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute("href")]));
  const norms = links.filter(([text]) => /^Norm [A-K]$/.test(text));
  assert.equal(norms.length, 11, "every norm");
  for (const part of ["Part One: International Law", "Part Two", "Part Three", "Part Four", "Finalization"]) {
    assert.ok(links.some(([text]) => text.includes(part)), part);
  }
  for (const [text, href] of links) {
    assert.equal(await page.locator(href).count(), 1, `${text} leads to ${href}`);
  }
  await page.click('.contents a:text-is("Norm K")');
  const top = await page.locator("#all-norm-k").evaluate((el) => el.getBoundingClientRect().top);
  assert.ok(Math.abs(top) < 5, `norm K is at the top of the window (${top})`);
  await context.close();
});
