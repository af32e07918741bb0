// End-to-end tests: the built app and the local Stripe server, started here on
// their own ports and their own database, so a running `npm run dev` is never touched.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chromium, defineConfig, devices } from "@playwright/test";

// `npm run test:e2e` runs the suite in shards side by side (scripts/test-e2e.mjs):
// each has its own ports, SQLite files (or PostgreSQL database), results and report.
const SHARD = process.env.E2E_SHARD ? `-${process.env.E2E_SHARD}` : "";
// Ports of their own (override with E2E_APP_PORT / E2E_STRIPE_PORT to run beside another run).
const APP_PORT = Number(process.env.E2E_APP_PORT ?? 3100);
const STRIPE_PORT = Number(process.env.E2E_STRIPE_PORT ?? 12112);
// PostgreSQL when DATABASE_URL points at it (CI runs both); SQLite otherwise.
const DATABASE_URL = /^postgres/.test(process.env.DATABASE_URL ?? "") ? process.env.DATABASE_URL! : `file:./data/e2e${SHARD}.db`;

// The fixtures read the database through lib/db/db.server.ts, which imports
// "server-only": Node resolves it to its empty module only under the
// react-server condition (scripts/node-args.ts). `npm run test:e2e` and
// `npm run playwright` start Playwright with it; a bare `npx playwright test`
// is run again here with it (it loads the test files in this process).
if (!process.execArgv.includes("--conditions=react-server") && !process.env.NODE_OPTIONS?.includes("--conditions=react-server")) {
  const NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ""} --conditions=react-server`.trim();
  const rerun = spawnSync(process.execPath, process.argv.slice(1), { stdio: "inherit", env: { ...process.env, NODE_OPTIONS } });
  process.exit(rerun.status ?? 1);
}

// The suite is one address (127.0.0.1) making many customers, by design: the
// limits per address are raised for its app and for the extra instances its
// tests start (they inherit this environment). e2e/client-limits.spec.ts
// tests them at the shop's defaults, on instances of its own.
const MANY_CUSTOMERS = {
  API_SESSIONS_PER_HOUR: "100000",
  BROWSER_SESSIONS_PER_HOUR: "100000",
  HOLD_UNITS_PER_ADDRESS: "100000",
  SIGN_IN_LINKS_PER_WINDOW: "100000",
  SIGN_IN_LINKS_PER_ADDRESS: "100000",
};
Object.assign(process.env, MANY_CUSTOMERS);

// Playwright hands its own environment to the servers below (and the test
// workers): a STRIPE_SECRET_KEY or STRIPE_WEBHOOK_SECRET exported in this
// shell (README's real-mode steps) would put the app in real mode and stop
// the local Stripe server (it refuses any secret but its own). The suite is
// local mode; tests that want real mode set their own.
delete process.env.STRIPE_SECRET_KEY;
delete process.env.STRIPE_WEBHOOK_SECRET;

// The test workers query the same database and Stripe server as the app.
process.env.DATABASE_URL = DATABASE_URL;
process.env.LOCAL_STRIPE_PORT = String(STRIPE_PORT);
process.env.E2E_APP_PORT = String(APP_PORT);

// Playwright's own Chromium where it was installed (`npx playwright install
// chromium`), else the system one (Debian's `chromium` package).
const SYSTEM_CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));
const usePlaywrightChromium = existsSync(chromium.executablePath()) || !SYSTEM_CHROMIUM;

// A fresh SQLite file each run (for the app, and always for the local Stripe
// server), so both always describe the same history. PostgreSQL runs get a fresh database from CI.
const freshSqlite = DATABASE_URL.startsWith("file:") ? `rm -f ${DATABASE_URL.slice(5)}* && ` : "";

const STRIPE_DB = `data/e2e${SHARD}-stripe.db`;
const SCREENSHOTS = !!process.env.PAYONCE_SCREENSHOTS;
// CI's second leg (PAYONCE_ENGINE_ONLY, README "Test it") runs what depends on
// the database engine; these specs use no database, or a SQLite file of their
// own, so the first leg's run of them is the whole answer.
const ENGINE_ONLY = !!process.env.PAYONCE_ENGINE_ONLY;
const ENGINE_INDEPENDENT = [
  "production-start.spec.ts",
  "dev-supervisor.spec.ts",
  "client-hang-up.spec.ts",
  "security-headers.spec.ts",
  "startup.spec.ts",
  "real-mode-doors.spec.ts",
];
const SCENARIOS = !!process.env.PAYONCE_SCENARIOS;
const serverEnv = {
  ...MANY_CUSTOMERS,
  DATABASE_URL,
  LOCAL_STRIPE_PORT: String(STRIPE_PORT),
  LOCAL_STRIPE_DB: STRIPE_DB,
  LOCAL_STRIPE_WEBHOOK_URL: `http://127.0.0.1:${APP_PORT}/api/webhooks/stripe`,
  NEXT_TELEMETRY_DISABLED: "1",
  // Where Stripe sends a customer back after 3-D Secure: this app, on the host the tests browse
  // (in local mode, also localhost and [::1] on PORT: e2e/return-origin.spec.ts browses on localhost).
  PUBLIC_URL: `http://127.0.0.1:${APP_PORT}`,
  PORT: String(APP_PORT),
};

export default defineConfig({
  testDir: "e2e",
  // The README's pictures and the scenarios report come from `npm run screenshots` and
  // `npm run scenarios` only: a test run never rewrites tracked files.
  testIgnore: [!SCREENSHOTS && "screenshots.spec.ts", !SCENARIOS && "scenarios.spec.ts", ...(ENGINE_ONLY ? ENGINE_INDEPENDENT : [])].filter((f) => f !== false),
  fullyParallel: false,
  // One worker: several tests switch the local Stripe server's latency.
  workers: 1,
  retries: 0,
  timeout: 60_000,
  // A wait ends as soon as what it awaits is there; 15 s (not Playwright's 5)
  // is for a loaded machine (CI runs its two legs side by side on two cores),
  // where a checkout alone has taken over 5 s.
  expect: { timeout: 15_000 },
  forbidOnly: !!process.env.CI,
  outputDir: `test-results${SHARD ? `/shard${SHARD}` : ""}`,
  reporter: [
    ["list"],
    ...(SCENARIOS ? [["./e2e/scenarios-reporter.ts"] as const] : []),
    ...(!SCENARIOS && !process.env.CI ? [["html", { open: "never", outputFolder: `playwright-report${SHARD}` }] as const] : []),
    // The seconds each spec took, for the next run's shards (scripts/test-e2e.mjs).
    ...(SHARD ? [["json", { outputFile: `reports/e2e${SHARD}.json` }] as const] : []),
  ],
  use: {
    baseURL: `http://127.0.0.1:${APP_PORT}`,
    // The scenarios report links every run's trace.
    trace: SCENARIOS ? "on" : "retain-on-failure",
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
  webServer: [
    {
      command: `rm -f ${STRIPE_DB}* && npm run stripe:local`,
      url: `http://127.0.0.1:${STRIPE_PORT}/_control/health`,
      env: serverEnv,
      reuseExistingServer: false,
    },
    {
      // Setup migrates and seeds the test database. `npm run test:e2e` builds first; a bare run builds only when there is no build.
      command: `${freshSqlite}npm run setup && (test -f .next/BUILD_ID || npx next build) && npx next start -p ${APP_PORT} -H 127.0.0.1`,
      url: `http://127.0.0.1:${APP_PORT}/`,
      env: serverEnv,
      timeout: 300_000,
      reuseExistingServer: false,
    },
  ],
});
