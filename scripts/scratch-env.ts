// A scratch world for the unit tests and the benchmark: a database of its own
// (made here, migrated, dropped afterwards) and a local Stripe server on its
// own port. PostgreSQL when DATABASE_URL points at it, SQLite otherwise.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { openSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { SERVER_NODE_ARGS } from "./node-args";

export const root = path.resolve(import.meta.dirname, "..");

async function makeDatabase(label: string): Promise<{ url: string; drop(): Promise<void> }> {
  const suffix = randomBytes(4).toString("hex");
  const base = process.env.DATABASE_URL ?? "";
  if (!/^postgres/.test(base)) {
    const file = path.join(tmpdir(), `payonce-${label}-${suffix}.db`);
    return {
      url: `file:${file}`,
      drop: async () => {
        for (const suffix of ["", "-wal", "-shm"]) rmSync(`${file}${suffix}`, { force: true });
      },
    };
  }
  const name = `payonce_${label}_${suffix}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: base });
    await client.connect();
    await client.query(sql);
    await client.end();
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function reachable(port: string) {
  try {
    await fetch(`http://127.0.0.1:${port}/_control/health`);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `body` with DATABASE_URL, LOCAL_STRIPE_PORT and friends pointing at the
 * scratch world (in `env`), then tears it down. Returns body's exit status.
 * `stripeLog`: a file the local Stripe server's output is appended to.
 */
export async function withScratchEnv(
  label: string,
  stripePort: string,
  body: (env: NodeJS.ProcessEnv) => Promise<number>,
  { stripeLog }: { stripeLog?: string } = {},
): Promise<number> {
  if (await reachable(stripePort)) {
    console.error(`port ${stripePort} is taken (a local Stripe server left over?); stop it and run again`);
    return 1;
  }
  // The scratch world always uses the local server and its public signing
  // secret, even where a Stripe key and a webhook secret are set (the local
  // server refuses to start with any other secret).
  const inherited = { ...process.env };
  delete inherited.STRIPE_SECRET_KEY;
  delete inherited.STRIPE_WEBHOOK_SECRET;
  const database = await makeDatabase(label);
  const stripeFile = path.join(tmpdir(), `payonce-${label}-stripe-${randomBytes(4).toString("hex")}.db`);
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    DATABASE_URL: database.url,
    LOCAL_STRIPE_PORT: stripePort,
    LOCAL_STRIPE_DB: stripeFile,
    LOCAL_STRIPE_WEBHOOK_URL: "", // tests register their own endpoints
    LOCAL_STRIPE_WEBHOOK_BACKOFF_MS: "100",
    IDEMPOTENCY_LEASE_SECONDS: "5",
  };
  // Node itself (not npx), so that killing it leaves nothing behind.
  const stripe = spawn(process.execPath, [...SERVER_NODE_ARGS, "scripts/stripe-local.ts"], {
    cwd: root,
    env,
    stdio: ["ignore", stripeLog ? openSync(stripeLog, "a") : "ignore", "inherit"],
  });
  try {
    const migrate = spawnSync(process.execPath, [...SERVER_NODE_ARGS, "scripts/migrate.ts", "deploy"], { cwd: root, env, stdio: "inherit" });
    if (migrate.status !== 0) throw new Error("migrations failed");
    for (let i = 0; i < 100 && !(await reachable(stripePort)); i++) await new Promise((r) => setTimeout(r, 100));
    return await body(env);
  } finally {
    stripe.kill();
    await database.drop();
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`${stripeFile}${suffix}`, { force: true });
  }
}
