// `npm run test:e2e` (after the build): the Playwright suite in shards side by
// side, each with an app, a local Stripe server and a database of its own
// (E2E_SHARD in playwright.config.ts), so no shard sees another's orders,
// stock or faults. The suite mostly waits (on a browser, a lease, a webhook),
// so two shards take little more than half the time of one on two cores.
//
//   E2E_SHARDS=1 npm run test:e2e     one shard, as before
//   npm run test:e2e -- e2e/lab.spec.ts   named specs only (one shard)
//
// Spec files are dealt to the shards longest first, by the seconds each took
// in a full run (e2e/timings.json; a spec not in it goes to the lightest). Each
// run writes what it measured to reports/e2e-timings.json: copy it over
// e2e/timings.json when the suite has changed shape.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import pg from "pg";

const args = process.argv.slice(2);
const SHARDS = args.length > 0 ? 1 : Number(process.env.E2E_SHARDS ?? 2);
const APP_PORT = Number(process.env.E2E_APP_PORT ?? 3100);
const STRIPE_PORT = Number(process.env.E2E_STRIPE_PORT ?? 12112);
// Each shard's ports are 200 above the last's: an extra instance a test starts sits at +101…+151 (e2e/app-instance.ts).
const SHARD_PORT_STEP = 200;
const PLAYWRIGHT = ["--conditions=react-server", "node_modules/@playwright/test/cli.js", "test"];
const postgres = /^postgres/.test(process.env.DATABASE_URL ?? "") ? new URL(process.env.DATABASE_URL) : null;

// Next allows one `next dev` per project directory: the specs that start one
// (they say `next dev` or `npm run dev`) are dealt together, as one.
const STARTS_NEXT_DEV = /\bnext dev\b|\bnpm run dev\b/;

/** The spec files this run has (Playwright's own list: what the config ignores in this run is not in it). */
function specFiles() {
  const list = spawnSync(process.execPath, [...PLAYWRIGHT, "--list", "--reporter=json"], { encoding: "utf8", maxBuffer: 64 << 20 });
  if (list.status !== 0) throw new Error(`playwright test --list failed:\n${list.stderr}`);
  return JSON.parse(list.stdout).suites.map((suite) => `e2e/${suite.file}`);
}

/** Spec files dealt to `n` shards, longest first, each to the shard with the least so far. */
function deal(n) {
  const timings = JSON.parse(readFileSync("e2e/timings.json", "utf8"));
  const units = new Map();
  for (const file of specFiles()) {
    const unit = STARTS_NEXT_DEV.test(readFileSync(file, "utf8")) ? "next dev" : file;
    const { files = [], seconds = 0 } = units.get(unit) ?? {};
    units.set(unit, { files: [...files, file], seconds: seconds + (timings[file] ?? 0) });
  }
  const shards = Array.from({ length: n }, () => ({ files: [], seconds: 0 }));
  for (const unit of [...units.values()].sort((a, b) => b.seconds - a.seconds || a.files[0].localeCompare(b.files[0]))) {
    const lightest = shards.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    lightest.files.push(...unit.files);
    lightest.seconds += unit.seconds;
  }
  return shards.map((s) => s.files);
}

/** A fresh PostgreSQL database for shard `i`, beside DATABASE_URL's; its URL and how to drop it. */
async function shardDatabase(i) {
  const name = `${postgres.pathname.slice(1)}_e2e${i}`;
  const admin = async (sql) => {
    const client = new pg.Client({ connectionString: postgres.toString() });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(postgres);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

/** Runs one shard's Playwright, its lines prefixed when there are several; resolves with its exit code and time. */
function runShard(i, files, env) {
  const started = Date.now();
  const child = spawn(process.execPath, [...PLAYWRIGHT, ...files], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const prefix = SHARDS > 1 ? `[e2e ${i}/${SHARDS}] ` : "";
  for (const [from, to] of [
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ]) {
    let rest = "";
    from.on("data", (chunk) => {
      const lines = (rest + chunk).split("\n");
      rest = lines.pop();
      for (const line of lines) to.write(`${prefix}${line}\n`);
    });
    from.on("end", () => rest && to.write(`${prefix}${rest}\n`));
  }
  return new Promise((resolve) => child.on("close", (code, signal) => resolve({ i, code: code ?? 1, signal, ms: Date.now() - started })));
}

/** Seconds per spec file (the stories a spec takes from a helper file count as its own), from the shards' JSON reports. */
function measuredTimings() {
  const seconds = {};
  const walk = (suite, file) => {
    for (const spec of suite.specs ?? [])
      for (const test of spec.tests) for (const result of test.results) seconds[file] = (seconds[file] ?? 0) + result.duration / 1000;
    for (const child of suite.suites ?? []) walk(child, file);
  };
  for (let i = 1; i <= SHARDS; i++) {
    try {
      for (const suite of JSON.parse(readFileSync(`reports/e2e-${i}.json`, "utf8")).suites) walk(suite, `e2e/${suite.file}`);
    } catch {
      // a shard that never wrote its report (it failed to start) has nothing to add
    }
  }
  return Object.fromEntries(Object.entries(seconds).map(([file, s]) => [file, Math.round(s)]));
}

/**
 * Every failed test of every shard, each with the first lines of its error and
 * where its page snapshot and trace are: printed last, so that the end of a CI
 * log (all some viewers keep) says what failed, whichever shard it was in.
 */
function failures(shards) {
  const lines = [];
  const walk = (suite, i) => {
    for (const spec of suite.specs ?? [])
      for (const test of spec.tests)
        for (const result of test.results.filter((r) => r.status === "failed" || r.status === "timedOut")) {
          lines.push(`[e2e ${i}/${shards}] e2e/${spec.file}:${spec.line} › ${spec.title} (${result.status})`);
          const message = (result.error?.message ?? "")
            .replace(/\u001b\[[0-9;]*m/g, "")
            .split("\n")
            .filter((l) => l.trim());
          lines.push(...message.slice(0, 8).map((l) => `    ${l}`));
          const kept = new Set((result.attachments ?? []).filter((a) => a.path).map((a) => `    ${a.name}: ${a.path.slice(a.path.indexOf("test-results/"))}`));
          lines.push(...kept);
        }
    for (const child of suite.suites ?? []) walk(child, i);
  };
  for (let i = 1; i <= shards; i++) {
    try {
      for (const suite of JSON.parse(readFileSync(`reports/e2e-${i}.json`, "utf8")).suites) walk(suite, i);
    } catch {
      lines.push(`[e2e ${i}/${shards}] wrote no report (reports/e2e-${i}.json): it failed before its tests ran; its log is above`);
    }
  }
  return lines;
}

const plan = args.length > 0 ? [args] : deal(SHARDS);
mkdirSync("reports", { recursive: true });
const databases = postgres ? await Promise.all(plan.map((_, i) => shardDatabase(i + 1))) : [];
let results;
try {
  results = await Promise.all(
    plan.map((files, index) => {
      const i = index + 1;
      const offset = index * SHARD_PORT_STEP;
      if (SHARDS > 1) console.log(`[e2e ${i}/${SHARDS}] ${files.join(" ")}`);
      return runShard(i, files, {
        E2E_SHARD: String(i),
        E2E_APP_PORT: String(APP_PORT + offset),
        E2E_STRIPE_PORT: String(STRIPE_PORT + offset),
        ...(postgres ? { DATABASE_URL: databases[index].url } : {}),
      });
    }),
  );
} finally {
  await Promise.all(databases.map((d) => d.drop().catch(() => {})));
}

if (args.length === 0) writeFileSync("reports/e2e-timings.json", `${JSON.stringify(measuredTimings(), null, 2)}\n`);
const failed = results.some((r) => r.code !== 0) ? failures(plan.length) : [];
if (failed.length > 0) console.log(`\n=== e2e: what failed (every shard)\n${failed.join("\n")}\n`);
for (const { i, code, signal, ms } of results)
  console.log(`=== e2e shard ${i}/${SHARDS}: ${code === 0 ? "passed" : `FAILED (${signal ?? `exit ${code}`})`} in ${Math.round(ms / 1000)} s`);
process.exit(results.every((r) => r.code === 0) ? 0 : 1);
