// Search in a real browser: pagefind's index built in process, results down to the
// paragraph, filters, the search box under a sub-path, and the file:// message.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { pathToFileURL } from "node:url";
import { join } from "node:path";
import { build, serveDir, launch, shutdown, HOOK } from "./harness.mjs";

let site, server, sub, browser;
before(async () => {
  site = await build();
  server = await serveDir(site);
  sub = await serveDir(site, "/handbook/");
  browser = await launch();
}, HOOK);
after(() => shutdown(browser, server, sub), HOOK);

/** Runs a query through pagefind's API in the page; returns [{url, title, subs: [url]}]. */
async function search(page, query, filters = {}) {
  return page.evaluate(async ([query, filters]) => {
    const pagefind = await import(new URL("pagefind/pagefind.js", document.baseURI.replace(/[^/]*$/, "") + "../").href);
    await pagefind.init();
    const found = await pagefind.search(query, { filters });
    const data = await Promise.all(found.results.slice(0, 8).map((r) => r.data()));
    return data.map((d) => ({ url: d.url, title: d.meta.title, subs: d.sub_results.map((s) => s.url) }));
  }, [query, filters]);
}

test("queries find the right page and paragraph first", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.url + "/reports/index.html");
  const attribution = await search(page, "attribution");
  const urls = attribution.map((r) => r.url);
  assert.ok(urls.some((u) => u.endsWith("/survey/norm-b.html")), JSON.stringify(urls));
  const report = attribution.find((r) => r.url.endsWith("/reports/gge-2021.html"));
  assert.ok(report, JSON.stringify(urls));
  assert.ok(report.subs.some((s) => s.endsWith("#gge-2021-22")), JSON.stringify(report.subs));

  const cases = [
    ["supply chain", "/survey/norm-i.html"],
    ["vulnerabilities reporting", "/survey/norm-j.html"],
    ["emergency response teams", "/survey/norm-k.html"],
    ["national position international law", "/survey/international-law.html"],
  ];
  for (const [query, expected] of cases) {
    const results = await search(page, query);
    assert.ok(results.slice(0, 3).some((r) => r.url.endsWith(expected)), `${query}: ${JSON.stringify(results.map((r) => r.url))}`);
  }
  await context.close();
});

test("filters by report and by pillar narrow the results", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.url + "/index.html");
  const all = await search(page, "critical infrastructure");
  const gge = await search(page, "critical infrastructure", { report: "2021 GGE report" });
  const norms = await search(page, "critical infrastructure", { pillar: "Norms" });
  assert.ok(all.length > gge.length && gge.length >= 1, `${all.length} vs ${gge.length}`);
  assert.ok(gge.every((r) => r.url.endsWith("/reports/gge-2021.html")));
  assert.ok(norms.length >= 1 && norms.every((r) => r.url.includes("/survey/")), JSON.stringify(norms.map((r) => r.url)));
  await context.close();
});

test("the search box works by keyboard under a sub-path", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(sub.url + "/survey/norm-a.html");
  await page.keyboard.press("Tab"); // the skip link
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab"); // the site title, then the search input
  await page.focus(".pagefind-ui__search-input");
  await page.keyboard.type("attribution");
  await page.waitForSelector(".pagefind-ui__result-link", { timeout: 15000 });
  const href = await page.getAttribute(".pagefind-ui__result-link", "href");
  assert.ok(href.startsWith("/handbook/"), href);
  const filters = await page.textContent(".pagefind-ui__filter-panel");
  assert.match(filters, /report/i);
  assert.match(filters, /pillar/i);
  await page.click(".pagefind-ui__result-link");
  await page.waitForLoadState();
  assert.ok(page.url().startsWith(sub.url + "/"), page.url());
  await context.close();
});

test("opened from a folder, the search box says it needs a server", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(pathToFileURL(join(site, "reports/gge-2021.html")).href);
  assert.match(await page.textContent("#search"), /served by a web server/);
  await context.close();
});
