// npm run bench: what idempotency costs and saves, measured in one run, each
// engine in a scratch database and local Stripe server of its own
// (scripts/scratch-env.ts). SQLite always; PostgreSQL too when DATABASE_URL
// points at a server (DATABASE_URL=postgresql://postgres@127.0.0.1/postgres npm run bench).
// Each engine runs in a child process (the app's database client is one per
// process); this one prints the side-by-side comparison at the end.
import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import Database from "libsql";
import pg from "pg";
import { fmt, median, perEngine, percentile, table } from "./bench-engines";
import { countRoundTrips, measureRoundTrips } from "./round-trips";

type Row = { name: string; n: number; totalMs: number; samples: number[] };
type Stall = { p50: number; p99: number; max: number };
type Result = {
  provider: string;
  burstMs: number;
  rawBurstMs?: number;
  trips: { checkout: number; replay: number; conflict: number };
  /** SQLite: how long the event loop stood still during the checkouts, and one commit's flush by synchronous mode. */
  stall?: Stall;
  commits?: Record<"FULL" | "NORMAL", { p50: number; p99: number }>;
};

const BURST = 200;

/** One engine's figures, in a scratch world of its own. */
async function world(): Promise<Result> {
  countRoundTrips();
  // Imported only now: they read the scratch world's environment.
  const { checkout } = await import("../lib/orders/checkout.server");
  const { flushCheckoutEvents } = await import("../lib/orders/checkout-events.server");
  const { claim, requestFingerprint, SimulatedCrash } = await import("@payonce/kit");
  const { attempts } = await import("../lib/db/attempts.server");
  const { db } = await import("../lib/db/db.server");
  const { env } = await import("../lib/env.server");
  const { newCart, newSession, stopAfter } = await import("../tests/helpers");
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
    const session = await newSession();
    const cart = await newCart(session.id);
    return { session, idempotencyKey: randomUUID(), input: { cartId: cart.id, email: "bench@example.com", paymentMethod: "pm_card_visa" as const } };
  };

  const requests = await Promise.all(Array.from({ length: N }, newRequest));
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  await measure("checkout, new key (order + Stripe + settle)", N, (i) => checkout(requests[i]!));
  loop.disable();
  const ms = (ns: number) => ns / 1e6;
  const stall = { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) };
  await measure("checkout, same key again (replay)", N, (i) => checkout(requests[i]!));

  // Round trips, counted one request at a time: a new checkout, its replay, and a 409 (an attempt whose holder is still at work).
  const trips = { checkout: [] as number[], replay: [] as number[], conflict: [] as number[] };
  for (let i = 0; i < 5; i++) {
    const request = await newRequest();
    trips.checkout.push(await measureRoundTrips(() => checkout(request)));
    trips.replay.push(await measureRoundTrips(() => checkout(request)));
    await flushCheckoutEvents(); // the replay's event, written off the request path: not in the next count
    const held = { ...request, idempotencyKey: randomUUID(), input: { ...request.input, cartId: (await newCart(request.session.id)).id } };
    await checkout({ ...held, crashAfter: stopAfter("order_created") }).catch((error: unknown) => {
      if (!(error instanceof SimulatedCrash)) throw error;
    });
    trips.conflict.push(await measureRoundTrips(() => checkout(held)));
    await flushCheckoutEvents();
  }

  const sessionId = (await newSession()).id;
  const fingerprint = requestFingerprint("POST", "/bench", {});
  await measure("claim of a new key", N * 5, () => claim(attempts(), { scope: sessionId, key: randomUUID(), fingerprint }));

  // The burst: BURST claims of one key at once. On PostgreSQL each is followed by the
  // floor's: the same claims by hand on plain `pg` (read, INSERT … ON CONFLICT DO NOTHING,
  // read) with a pool of the same size, so both see the same machine. Medians of 5.
  const raw = provider === "postgres" ? new pg.Pool({ connectionString: env().database.url, max: pool.size }) : null;
  const rawClaim = async (key: string) => {
    const read = () => raw!.query(`SELECT "recoveryPoint" FROM "Attempt" WHERE "scope" = $1 AND "key" = $2`, [sessionId, key]);
    if ((await read()).rowCount) return;
    const now = new Date();
    const inserted = await raw!.query(
      `INSERT INTO "Attempt" ("id", "scope", "key", "fingerprint", "recoveryPoint", "leaseOwner", "lockedUntil", "createdAt", "updatedAt", "expiresAt")
       VALUES ($1, $2, $3, $4, 'started', $5, $6, $6, $6, $6) ON CONFLICT DO NOTHING`,
      [randomUUID(), sessionId, key, fingerprint, randomUUID(), now],
    );
    if (inserted.rowCount === 0) await read();
  };
  if (raw) await Promise.all(Array.from({ length: pool.size }, () => rawClaim(randomUUID()))); // warm, as the app's pool is
  const timed = async (op: () => Promise<unknown>) => {
    const start = performance.now();
    await op();
    return performance.now() - start;
  };
  const bursts: number[] = [];
  const rawBursts: number[] = [];
  for (let i = 0; i < 5; i++) {
    const key = randomUUID();
    bursts.push(
      await timed(async () => {
        const claims = await Promise.all(Array.from({ length: BURST }, () => claim(attempts(), { scope: sessionId, key, fingerprint })));
        if (claims.filter((c) => c.kind === "owned").length !== 1) throw new Error("a burst gave the lease to more or fewer than one claim");
      }),
    );
    if (raw) rawBursts.push(await timed(() => Promise.all(Array.from({ length: BURST }, () => rawClaim(`raw-${key}`)))));
  }
  await raw?.end();
  rows.push({ name: `${BURST} concurrent claims of one key (median of 5)`, n: BURST, totalMs: median(bursts), samples: bursts.map((b) => b / BURST) });
  const rawBurstMs = raw ? median(rawBursts) : undefined;
  if (rawBurstMs)
    rows.push({ name: `${BURST} concurrent claims, plain pg (the floor)`, n: BURST, totalMs: rawBurstMs, samples: rawBursts.map((b) => b / BURST) });

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
  const result: Result = {
    provider,
    burstMs: median(bursts),
    rawBurstMs,
    trips: { checkout: median(trips.checkout), replay: median(trips.replay), conflict: median(trips.conflict) },
    ...(provider === "sqlite" && { stall, commits: { FULL: commitCost("FULL"), NORMAL: commitCost("NORMAL") } }),
  };
  console.log(
    `database round trips (statements, BEGIN and COMMIT included; median of ${trips.checkout.length}): ` +
      `new checkout ${result.trips.checkout}, replay ${result.trips.replay}, 409 still running ${result.trips.conflict}`,
  );
  await db.$disconnect();
  return result;
}

/**
 * SQLite runs in the app's process, and a commit's flush to disk (WAL,
 * synchronous=FULL) blocks its event loop while it lasts. One commit's time
 * in each mode, on a file of its own, with the engine itself (libsql).
 */
function commitCost(mode: "FULL" | "NORMAL") {
  const file = path.join(tmpdir(), `payonce-bench-commit-${randomUUID()}.db`);
  const sqlite = new Database(file);
  sqlite.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = ${mode}; CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)`);
  const insert = sqlite.prepare("INSERT INTO t (v) VALUES (?)");
  const samples = Array.from({ length: 300 }, () => {
    const start = performance.now();
    insert.run(randomUUID());
    return performance.now() - start;
  });
  sqlite.close();
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${file}${suffix}`, { force: true });
  return { p50: median(samples), p99: percentile(samples, 99) };
}

const results = await perEngine("scripts/bench.ts", "bench", "12114", world);
if (!results) process.exit(1);
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
    `\nburst, PostgreSQL / SQLite: ${fmt(postgres.burstMs / sqlite.burstMs)}; PostgreSQL / its plain-pg floor: ${fmt(postgres.burstMs / postgres.rawBurstMs)}`,
  );
}
if (sqlite?.stall && sqlite.commits) {
  const { stall, commits } = sqlite;
  console.log(
    `\nSQLite, the event loop during ${process.env.BENCH_N ?? 30} new checkouts: stalls p50 ${fmt(stall.p50)} ms, p99 ${fmt(stall.p99)} ms, max ${fmt(stall.max)} ms`,
  );
  console.log(
    `one commit (WAL): synchronous=FULL p50 ${fmt(commits.FULL.p50, 3)} ms, p99 ${fmt(commits.FULL.p99, 3)} ms; NORMAL p50 ${fmt(commits.NORMAL.p50, 3)} ms, p99 ${fmt(commits.NORMAL.p99, 3)} ms`,
  );
}
