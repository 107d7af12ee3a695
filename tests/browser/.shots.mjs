import { chromium } from "playwright-core";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { join, extname } from "node:path";
const dir = process.argv[2] || "/tmp/hb";
const pages = (process.argv[3] || "index,survey/norm-b").split(",");
const T = { ".html": "text/html", ".css": "text/css", ".js": "text/javascript", ".json": "application/json", ".svg": "image/svg+xml", ".wasm": "application/wasm" };
const server = createServer(async (req, res) => {
  let p = decodeURIComponent(new URL(req.url, "http://x").pathname); if (p.endsWith("/")) p += "index.html";
  try { res.writeHead(200, { "Content-Type": T[extname(p)] || "application/octet-stream" }).end(await readFile(join(dir, p))); } catch { res.writeHead(404).end("nf"); }
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const url = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
for (const [name, width, height, scheme] of [["desktop", 1280, 900, "light"], ["phone", 390, 844, "light"], ["dark", 1280, 900, "dark"]]) {
  const ctx = await browser.newContext({ viewport: { width, height }, colorScheme: scheme });
  const page = await ctx.newPage();
  for (const p of pages) {
    await page.goto(`${url}/${p}.html${process.argv[4] || ""}`);
    if (process.argv[5]) await page.evaluate(process.argv[5]);
    await page.screenshot({ path: `/tmp/pp/${p.replace("/", "_")}-${name}.png`, fullPage: process.argv[6] === "full" });
  }
  await ctx.close();
}
await browser.close(); server.close();
