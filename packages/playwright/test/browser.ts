// The tests' Chromium: Playwright's own where it was installed (`npx
// playwright install chromium`), else the system one (Debian's `chromium`), as
// the shop's playwright.config.ts chooses.
import { existsSync } from "node:fs";
import { chromium } from "@playwright/test";

export function launch() {
  const system = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));
  if (existsSync(chromium.executablePath()) || !system) return chromium.launch();
  return chromium.launch({
    executablePath: system,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run", "--disable-quic"],
  });
}
