// npm run bench: what idempotency costs and saves, measured in one run, each
// engine in a scratch database and local Stripe server of its own
// (scripts/scratch-env.ts). SQLite always; PostgreSQL too when DATABASE_URL
// points at a server (DATABASE_URL=postgresql://postgres@127.0.0.1/postgres npm run bench).
// Each engine runs in a child process (the app's database client is one per
// process); this one prints the side-by-side comparison at the end.
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { SERVER_NODE_ARGS } from "./node-args";
import { countRoundTrips, measureRoundTrips } from "./round-trips";
import { root, withScratchEnv } from "./scratch-env";

type Row = { name: string; n: number; totalMs: number; samples: number[] };
type Result = { provider: string; burstMs: number; rawBurstMs?: number; trips: { checkout: number; replay: number; conflict: number } };

const BURST = 200;
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;
const median = (xs: number[]) => percentile(xs, 50);
const fmt = (ms: number) => ms.toFixed(2);

function table(header: string[], lines: string[][]) {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const print = (cells: string[]) => console.log(cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  "));
  print(header);
  print(widths.map((w) => "-".repeat(w)));
  lines.forEach(print);
}

/** One engine's figures, in a scratch world of its own. */
async function world(): Promise<Result> {
  countRoundTrips();
  // Imported only now: they read the scratch world's environment.
  const { checkout } = await import("../lib/checkout.server");
  const { flushCheckoutEvents } = await import("../lib/checkout-events.server");
  const { claim, requestFingerprint } = await import("../lib/idempotency.server");
  const { SimulatedCrash } = await import("../lib/idempotent-operation.server");
  const { db } = await import("../lib/db.server");
  const { env } = await import("../lib/env.server");
  const { ALL_ON } = await import("../lib/demo/protections");
  const { newCart, newSession } = await import("../tests/helpers");
  const { provider, pool } = env().database;

  const N = Number(process.env.BENCH_N ?? 30);
  const rows: Row[] = [];
  async function measure(name: string, n: number, op: (i: number) => Promise<unknown>) {
    const samples: number[] = [];
    const start = performance.now();
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await op(i);
      samples.push(performance.now() - t);
    }
    rows.push({ name, n, totalMs: performance.now() - start, samples });
  }
  const newRequest = async () => {
    const session = await newSession(ALL_ON);
    const cart = await newCart(session.id);
    return { session, idempotencyKey: randomUUID(), input: { cartId: cart.id, email: "bench@example.com", paymentMethod: "pm_card_visa" as const } };
  };

  const requests = await Promise.all(Array.from({ length: N }, newRequest));
  await measure("checkout, new key (order + Stripe + settle)", N, (i) => checkout(requests[i]!));
  await measure("checkout, same key again (replay)", N, (i) => checkout(requests[i]!));

  // Round trips, counted one request at a time: a new checkout, its replay, and a 409 (an attempt whose holder is still at work).
  const trips = { checkout: [] as number[], replay: [] as number[], conflict: [] as number[] };
  for (let i = 0; i < 5; i++) {
    const request = await newRequest();
    trips.checkout.push(await measureRoundTrips(() => checkout(request)));
    trips.replay.push(await measureRoundTrips(() => checkout(request)));
    await flushCheckoutEvents(); // the replay's event, written off the request path: not in the next count
    const held = { ...request, idempotencyKey: randomUUID(), input: { ...request.input, cartId: (await newCart(request.session.id)).id } };
    await checkout({ ...held, crashAfter: "order_created" }).catch((error: unknown) => {
      if (!(error instanceof SimulatedCrash)) throw error;
    });
    trips.conflict.push(await measureRoundTrips(() => checkout(held)));
    await flushCheckoutEvents();
  }

  const sessionId = (await newSession()).id;
  const fingerprint = requestFingerprint("POST", "/bench", {});
  await measure("claim of a new key", N * 5, () => claim({ sessionId, key: randomUUID(), fingerprint }));

  // The burst: BURST claims of one key at once, three times (median).
  const bursts: number[] = [];
  for (let i = 0; i < 3; i++) {
    const key = randomUUID();
    const start = performance.now();
    const claims = await Promise.all(Array.from({ length: BURST }, () => claim({ sessionId, key, fingerprint })));
    bursts.push(performance.now() - start);
    if (claims.filter((c) => c.kind === "owned").length !== 1) throw new Error("a burst gave the lease to more or fewer than one claim");
  }
  rows.push({ name: `${BURST} concurrent claims of one key (median of 3)`, n: BURST, totalMs: median(bursts), samples: bursts.map((b) => b / BURST) });

  // PostgreSQL's floor: the same claims by hand on plain `pg` (read, INSERT … ON CONFLICT DO NOTHING, read), pool of the same size.
  let rawBurstMs: number | undefined;
  if (provider === "postgres") {
    const raw = new pg.Pool({ connectionString: env().database.url, max: pool.size });
    const rawClaim = async (key: string) => {
      const read = () => raw.query(`SELECT "recoveryPoint" FROM "IdempotencyRecord" WHERE "scope" = $1 AND "key" = $2`, [sessionId, key]);
      if ((await read()).rowCount) return;
      const now = new Date();
      const inserted = await raw.query(
        `INSERT INTO "IdempotencyRecord" ("id", "scope", "key", "fingerprint", "recoveryPoint", "leaseOwner", "lockedUntil", "createdAt", "updatedAt", "expiresAt")
         VALUES ($1, $2, $3, $4, 'started', $5, $6, $6, $6, $6) ON CONFLICT DO NOTHING`,
        [randomUUID(), sessionId, key, fingerprint, randomUUID(), now],
      );
      if (inserted.rowCount === 0) await read();
    };
    await Promise.all(Array.from({ length: pool.size }, () => rawClaim(randomUUID()))); // warm, as the app's pool is
    const rawBursts: number[] = [];
    for (let i = 0; i < 3; i++) {
      const key = randomUUID();
      const start = performance.now();
      await Promise.all(Array.from({ length: BURST }, () => rawClaim(key)));
      rawBursts.push(performance.now() - start);
    }
    rawBurstMs = median(rawBursts);
    rows.push({ name: `${BURST} concurrent claims, plain pg (the floor)`, n: BURST, totalMs: rawBurstMs, samples: rawBursts.map((b) => b / BURST) });
    await raw.end();
  }

  console.log(`\nPayOnce benchmark on ${provider}, local Stripe with no added latency (${new Date().toISOString()})\n`);
  table(
    ["case", "n", "total ms", "ms/op", "p50 ms", "p95 ms"],
    rows.map((r) => [r.name, String(r.n), fmt(r.totalMs), fmt(r.totalMs / r.n), fmt(percentile(r.samples, 50)), fmt(percentile(r.samples, 95))]),
  );
  const [fresh, replay, newClaim] = rows;
  console.log(
    `\nreplay / new checkout: ${(replay!.totalMs / fresh!.totalMs).toFixed(3)} (a retry costs this fraction of the first request, and charges nothing)`,
  );
  console.log(
    `claim of a new key / new checkout: ${(newClaim!.totalMs / newClaim!.n / (fresh!.totalMs / fresh!.n)).toFixed(3)} (the idempotency record's share of a checkout)`,
  );
  const result = {
    provider,
    burstMs: median(bursts),
    rawBurstMs,
    trips: { checkout: median(trips.checkout), replay: median(trips.replay), conflict: median(trips.conflict) },
  };
  console.log(
    `database round trips (statements, BEGIN and COMMIT included; median of ${trips.checkout.length}): ` +
      `new checkout ${result.trips.checkout}, replay ${result.trips.replay}, 409 still running ${result.trips.conflict}`,
  );
  await db.$disconnect();
  return result;
}

async function runWorld(): Promise<number> {
  return withScratchEnv("bench", "12114", async (env) => {
    Object.assign(process.env, env);
    const result = await world();
    if (process.env.BENCH_RESULT) (await import("node:fs")).writeFileSync(process.env.BENCH_RESULT, JSON.stringify(result));
    return 0;
  });
}

/** Runs each engine's world in a child process and compares them. */
function compare(): number {
  const postgresUrl = /^postgres/.test(process.env.DATABASE_URL ?? "") ? process.env.DATABASE_URL : undefined;
  const results: Result[] = [];
  for (const url of [undefined, postgresUrl].filter((u, i) => i === 0 || u)) {
    const file = path.join(tmpdir(), `payonce-bench-${randomUUID()}.json`);
    const childEnv: NodeJS.ProcessEnv = { ...process.env, BENCH_WORLD: "1", BENCH_RESULT: file };
    if (url) childEnv.DATABASE_URL = url;
    else delete childEnv.DATABASE_URL;
    const run = spawnSync(process.execPath, [...SERVER_NODE_ARGS, "scripts/bench.ts"], { cwd: root, env: childEnv, stdio: "inherit" });
    if (run.status !== 0) return run.status ?? 1;
    results.push(JSON.parse(readFileSync(file, "utf8")) as Result);
    rmSync(file, { force: true });
  }
  console.log(`\nSide by side (one run)\n`);
  table(
    ["engine", "round trips: checkout", "replay", "409", `${BURST}-claim burst ms`, "plain-pg floor ms"],
    results.map((r) => [
      r.provider,
      String(r.trips.checkout),
      String(r.trips.replay),
      String(r.trips.conflict),
      fmt(r.burstMs),
      r.rawBurstMs ? fmt(r.rawBurstMs) : "-",
    ]),
  );
  const [sqlite, postgres] = results;
  if (sqlite && postgres?.rawBurstMs) {
    console.log(
      `\nburst, PostgreSQL / SQLite: ${(postgres.burstMs / sqlite.burstMs).toFixed(2)}; PostgreSQL / its plain-pg floor: ${(postgres.burstMs / postgres.rawBurstMs).toFixed(2)}`,
    );
  }
  return 0;
}

process.exit(process.env.BENCH_WORLD ? await runWorld() : compare());
