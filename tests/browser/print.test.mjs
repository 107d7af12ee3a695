// Printed worksheets: every norm page and the whole survey printed to PDF by Chromium
// (background graphics off, as browsers print by default), checked with poppler-utils.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve, launch, shutdown, HOOK } from "./harness.mjs";

let server, browser, dir;
before(async () => {
  server = await serve();
  browser = await launch();
  dir = await mkdtemp(join(tmpdir(), "normbook-print-"));
}, HOOK);
after(() => shutdown(browser, server), HOOK);

const NORMS = "abcdefghijk".split("");

async function pdf(page, name, format = "A4") {
  const file = join(dir, name + ".pdf");
  await writeFile(file, await page.pdf({ format }));
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync("pdfinfo", [file], { encoding: "utf8" }))[1]);
  const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
  return { file, pages, text };
}

/** Long horizontal dark lines on the PDF's pages (the ruled answer lines), from a PGM. */
function ruledLines(file) {
  const prefix = join(dir, "ruled-" + Math.random().toString(36).slice(2));
  execFileSync("pdftoppm", ["-gray", "-r", "50", file, prefix]);
  const pages = execFileSync("sh", ["-c", `ls ${prefix}*.pgm`], { encoding: "utf8" }).trim().split("\n");
  let lines = 0;
  for (const page of pages) {
    const data = execFileSync("cat", [page]);
    const header = data.toString("latin1", 0, 50).split(/\s+/);
    const [width, height] = [Number(header[1]), Number(header[2])];
    const start = data.length - width * height;
    let previous = false;
    for (let y = 0; y < height; y++) {
      let dark = 0;
      for (let x = 0; x < width; x++) if (data[start + y * width + x] < 160) dark++;
      const line = dark > width * 0.5;
      if (line && !previous) lines++;
      previous = line;
    }
  }
  return lines;
}

test("every norm page prints as a worksheet: questions, ruled lines, two initiatives", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  for (const [i, norm] of NORMS.entries()) {
    await page.goto(`${server.url}/survey/norm-${norm}.html`);
    await page.evaluate(() => window.normbookPrint.prepare("filled"));
    const { file, pages, text } = await pdf(page, `norm-${norm}`);
    const n = i + 2;
    assert.ok(pages >= 3 && pages <= 8, `norm ${norm}: ${pages} pages`);
    const last = execFileSync("pdftotext", ["-f", String(pages), "-l", String(pages), file, "-"], { encoding: "utf8" });
    assert.match(last, /\d\.\d|Political|Other/, `norm ${norm}: the last page is blank`);
    for (const q of [`${n}.1`, `${n}.2`, `${n}.3`]) assert.match(text, new RegExp(`\\b${q.replace(".", "\\.")}\\b`), `norm ${norm}: ${q}`);
    assert.match(text, /Initiative 1/);
    assert.match(text, /Initiative 2/);
    assert.match(text, /If Yes or Under consideration, go to/);
    assert.match(text, /Political barriers/);
    assert.match(text, /Page 1 of \d+/);
    assert.doesNotMatch(text, /Export answers|Skip to content|Whole survey/);
    if (norm === "b") {
      assert.match(text, /paragraph\s+71 \(g\)\s+of\s+this\s+report/, "a reference prints as written");
      assert.doesNotMatch(text, /\(A\/76\/135,\s+para\.\s+71 \(g\)\)/, "and only once");
    }
    assert.match(text, /Name\s+Ministry or office\s+Date/, `norm ${norm}: a line for who filled it in`);
    const lines = ruledLines(file);
    assert.ok(lines >= 40, `norm ${norm}: only ${lines} ruled lines`);
    await page.evaluate(() => window.normbookPrint.restore());
  }
  await context.close();
});

test("typed answers print in full when filled, not at all when blank", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.url}/survey/norm-a.html`);
  await page.check('[data-q="2.1"] input[value="yes"]');
  await page.fill('[data-q="2.2"] [data-field="title"] input', "Ministry of Testing initiative");
  const long = Array.from({ length: 300 }, (_, i) => `w${i}`).join(" ");
  await page.fill('[data-q="2.2"] [data-field="description"] textarea', long);
  await page.evaluate(() => window.normbookPrint.prepare("filled"));
  const filled = await pdf(page, "filled");
  await page.evaluate(() => window.normbookPrint.restore());
  assert.match(filled.text, /Ministry of Testing initiative/);
  assert.match(filled.text, /\bw0\b/);
  assert.match(filled.text, /\bw299\b/, "the end of a long answer is printed");
  await page.evaluate(() => window.normbookPrint.prepare("blank"));
  const blank = await pdf(page, "blank");
  await page.evaluate(() => window.normbookPrint.restore());
  assert.doesNotMatch(blank.text, /Ministry of Testing|w299/);
  assert.equal(await page.inputValue('[data-q="2.2"] [data-field="title"] input'), "Ministry of Testing initiative", "answers come back after a blank print");
  const letter = await pdf(page, "letter", "Letter");
  assert.ok(letter.pages >= 3 && letter.pages <= 7, `Letter: ${letter.pages} pages`);
  await context.close();
});

test("a long typed answer prints every word at any paper size", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.url}/survey/norm-b.html`);
  await page.check('[data-q="3.1"] input[value="yes"]');
  const words = Array.from({ length: 250 }, (_, i) => `word${i}`);
  await page.fill('[data-q="3.2"] [data-field="description"] textarea', words.join(" "));
  for (const [format, landscape] of [["A4", false], ["Letter", false], ["A5", false], ["A4", true]]) {
    await page.evaluate(() => window.normbookPrint.prepare("filled"));
    const file = join(dir, `long-${format}-${landscape}.pdf`);
    await writeFile(file, await page.pdf({ format, landscape }));
    await page.evaluate(() => window.normbookPrint.restore());
    const text = execFileSync("pdftotext", [file, "-"], { encoding: "utf8" });
    const printed = new Set(text.match(/word\d+/g));
    assert.equal(printed.size, 250, `${format}${landscape ? " landscape" : ""}: ${printed.size} of 250 words printed`);
  }
  // At 150% the text wraps more: still every word.
  await page.evaluate(() => window.normbookPrint.prepare("filled"));
  const scaled = join(dir, "long-scaled.pdf");
  await writeFile(scaled, await page.pdf({ format: "A4", scale: 1.5 }));
  await page.evaluate(() => window.normbookPrint.restore());
  assert.equal(new Set(execFileSync("pdftotext", [scaled, "-"], { encoding: "utf8" }).match(/word\d+/g)).size, 250, "at 150%");
  assert.equal(await page.inputValue('[data-q="3.2"] [data-field="description"] textarea'), words.join(" "), "the answer is as typed after printing");
  await context.close();
});

test("a filled print holds only the answers that the branching makes current", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.url}/survey/norm-b.html`);
  await page.check('[data-q="3.1"] input[value="no"]');
  await page.check('[data-q="3.3"] input[value="other"]');
  await page.fill('[data-q="3.3"] [data-specify="other"]', "No budget for forensic tooling");
  await page.check('[data-q="3.1"] input[value="yes"]');
  await page.evaluate(() => window.normbookPrint.prepare("filled"));
  const { text } = await pdf(page, "branching");
  await page.evaluate(() => window.normbookPrint.restore());
  assert.doesNotMatch(text, /No budget for forensic tooling/, "the hidden answer is not printed");
  assert.match(text, /3\.3/, "its question still prints, blank, for a changed mind");
  await page.check('[data-q="3.1"] input[value="no"]');
  assert.equal(await page.inputValue('[data-q="3.3"] [data-specify="other"]'), "No budget for forensic tooling", "kept for a changed mind");
  await context.close();
});

test("the whole survey prints with every question", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.url}/survey/index.html`);
  await page.evaluate(() => window.normbookPrint.prepare("filled"));
  const { pages, text } = await pdf(page, "whole");
  assert.ok(pages >= 60 && pages <= 140, `${pages} pages`);
  const numbers = ["1.1", "1.4", "13.5", "14.1", "14.2"];
  for (let n = 2; n <= 12; n++) numbers.push(`${n}.1`, `${n}.2`, `${n}.3`);
  for (const q of numbers) assert.match(text, new RegExp(`\\b${q.replace(".", "\\.")}\\b`), q);
  assert.match(text, /Central Coordination Authority/);
  // Every page says where it is: the survey, a part, or a norm and its part; and which page.
  const file = join(dir, "whole.pdf");
  const titles = ["National Survey of Implementation", "Part One:", "Part Two:", "Part Three:", "Part Four:", "Finalization"];
  for (let n = 1; n <= pages; n++) {
    const top = execFileSync("pdftotext", ["-f", String(n), "-l", String(n), file, "-"], { encoding: "utf8" }).trimStart().split("\n")[0];
    assert.ok(titles.some((t) => top.includes(t)), `page ${n} starts with "${top}", not its place`);
  }
  // A question that runs onto another page is named again at its top.
  const page20 = execFileSync("pdftotext", ["-f", "20", "-l", "20", "-layout", file, "-"], { encoding: "utf8" });
  assert.match(page20, /^\s*Norm \w · Part Two/m);
  await context.close();
});
