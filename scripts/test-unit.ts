// npm run test:unit: lib's tests (node's test runner) against a database of
// their own, made here and dropped afterwards, and a local Stripe server on
// its own port. PostgreSQL when DATABASE_URL points at it, SQLite otherwise.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";

const root = path.resolve(import.meta.dirname, "..");
const STRIPE_PORT = "12113";
const suffix = randomBytes(4).toString("hex");

async function makeDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const base = process.env.DATABASE_URL ?? "";
  if (!/^postgres/.test(base)) {
    const file = path.join(tmpdir(), `payonce-unit-${suffix}.db`);
    return { url: `file:${file}`, drop: async () => rmSync(file, { force: true }) };
  }
  const name = `payonce_unit_${suffix}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

async function waitForStripe() {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${STRIPE_PORT}/_control/health`)).ok) return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error("local Stripe did not start");
}

async function portTaken() {
  try {
    await fetch(`http://127.0.0.1:${STRIPE_PORT}/_control/health`);
    return true;
  } catch {
    return false;
  }
}

if (await portTaken()) {
  console.error(`port ${STRIPE_PORT} is taken (a local Stripe server left over?); stop it and run again`);
  process.exit(1);
}
const database = await makeDatabase();
// lib's tests always talk to the local server; a Stripe key only adds the
// conformance suite's second run against Stripe test mode (below).
const { STRIPE_SECRET_KEY, ...inherited } = process.env;
const env = {
  ...inherited,
  DATABASE_URL: database.url,
  LOCAL_STRIPE_PORT: STRIPE_PORT,
  LOCAL_STRIPE_WEBHOOK_URL: "", // tests register their own endpoints
  LOCAL_STRIPE_WEBHOOK_BACKOFF_MS: "100",
  IDEMPOTENCY_LEASE_SECONDS: "5",
};
// Node itself (not npx), so that killing it leaves nothing behind.
const stripe = spawn(process.execPath, ["--import", "tsx", "local-stripe/server.ts"], { cwd: root, env, stdio: ["ignore", "ignore", "inherit"] });
let status = 1;
try {
  const migrate = spawnSync("npx", ["tsx", "scripts/migrate.ts", "deploy"], { cwd: root, env, stdio: "inherit" });
  if (migrate.status !== 0) throw new Error("migrations failed");
  await waitForStripe();
  const files = readdirSync(path.join(root, "tests")).filter((f) => f.endsWith(".test.ts")).map((f) => path.join("tests", f));
  const run = spawnSync("node", ["--import", "tsx", "--test", "--test-concurrency=1", ...files], { cwd: root, env, stdio: "inherit" });
  status = run.status ?? 1;
  if (status === 0 && STRIPE_SECRET_KEY?.startsWith("sk_test_")) {
    const real = spawnSync("node", ["--import", "tsx", "--test", "tests/local-stripe.test.ts"], {
      cwd: root,
      env: { ...env, STRIPE_SECRET_KEY, PAYONCE_CONFORMANCE_TARGET: "stripe" },
      stdio: "inherit",
    });
    status = real.status ?? 1;
  }
} finally {
  stripe.kill();
  await database.drop();
}
process.exit(status);
