// Shared set-up for the browser tests: serve a handbook with `normbook serve` on a free
// port and drive Debian's Chromium with playwright-core.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { chromium } from "playwright-core";

export const BIN = process.env.NORMBOOK_BIN;
export const ROOT = process.env.NORMBOOK_ROOT;

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/** Starts `normbook serve` for `root`; resolves with its base URL once it answers. */
export async function serve(root = ROOT, extraArgs = []) {
  if (!BIN) throw new Error("NORMBOOK_BIN is not set: run these tests through `cargo test`");
  const port = await freePort();
  const child = spawn(BIN, ["serve", "--quiet", "--root", root, "--port", String(port), ...extraArgs], { stdio: ["ignore", "ignore", "inherit"] });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try {
      const response = await fetch(url + "/");
      if (response.status < 500) return { url, stop: () => child.kill() };
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  child.kill();
  throw new Error("normbook serve did not start");
}

export async function launch() {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-gpu"],
  });
}
