// The example's end-to-end tests: the production build on its own port and a
// fresh SQLite file, and a fake mail service on the next port (e2e/mail-service.ts).
import { existsSync } from "node:fs";
import { chromium, defineConfig, devices } from "@playwright/test";

const PORT = Number(process.env.EXAMPLE_PORT ?? 3900);
const env = {
  DATABASE_URL: "file:./data/e2e.db",
  MAIL_URL: `http://127.0.0.1:${PORT + 1}/`,
  MAIL_PORT: String(PORT + 1),
  NEXT_TELEMETRY_DISABLED: "1",
};
// The tests read the same database, and the fake mail service listens where the app sends.
Object.assign(process.env, env);

// Playwright's own Chromium where it was installed (`npx playwright install
// chromium`), else the system one (Debian's `chromium` package).
const SYSTEM_CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));
const usePlaywrightChromium = existsSync(chromium.executablePath()) || !SYSTEM_CHROMIUM;

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  // One worker: the fake mail service is the worker's.
  workers: 1,
  retries: 0,
  timeout: 60_000,
  // Waits for what a page or the database shows, on a machine that may be busy.
  expect: { timeout: 15_000 },
  forbidOnly: !!process.env.CI,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: "retain-on-failure",
    ...devices["Desktop Chrome"],
    launchOptions: usePlaywrightChromium
      ? {}
      : {
          executablePath: SYSTEM_CHROMIUM,
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
          ],
        },
  },
  webServer: {
    // `npm test` builds first; a bare `npx playwright test` builds only when there is no build.
    command: `node scripts/create-db.mjs --fresh && (test -f .next/BUILD_ID || npx next build) && npx next start -p ${PORT} -H 127.0.0.1`,
    url: `http://127.0.0.1:${PORT}/`,
    env,
    timeout: 180_000,
    reuseExistingServer: false,
  },
});
