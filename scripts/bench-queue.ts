// npm run bench:queue: our job queue (lib/worker/jobs.server.ts, decision
// 0002) beside pg-boss on the same PostgreSQL at size, for issue 28's "the job
// queue at size" (decision 0015). In one scratch database: our Job table and
// pg-boss's job table each get the same backlog (scripts/queue/fill.ts: a
// million finished jobs and a million ready to run by default); then 1, 2 and
// 4 workers claim, run (a no-op) and complete jobs as fast as they can
// (scripts/queue/workers.ts), each queue in turn, twice per worker count in
// the order ours, pg-boss, pg-boss, ours, so that a drift of the shared
// machine falls on both alike. Then the time to enqueue one job in the
// order-paid transaction, and whether it rolls back with it
// (scripts/queue/enqueue.ts), and each queue's claim query under EXPLAIN
// ANALYZE. pg-boss runs without its supervisor and cron (supervise: false,
// schedule: false): no archiving or maintenance during the run, as our worker's
// reapers do not run here either. PostgreSQL only:
// DATABASE_URL=postgresql://postgres@127.0.0.1/postgres npm run bench:queue
import { parseArgs } from "node:util";
import pg from "pg";
import PgBoss from "pg-boss";
import { fmt, percentile, table } from "./bench-engines";
import { measureEnqueues } from "./queue/enqueue";
import { fillOurs, fillPgBoss } from "./queue/fill";
import { runOurs, runPgBoss, type Cell } from "./queue/workers";
import { withScratchEnv } from "./scratch-env";

const { values: args } = parseArgs({
  options: {
    done: { type: "string", default: "1000000" },
    queued: { type: "string", default: "1000000" },
    seconds: { type: "string", default: "20" },
    workers: { type: "string", default: "1,2,4" },
    enqueues: { type: "string", default: "200" },
  },
});
const DONE = Number(args.done);
const QUEUED = Number(args.queued);
const SECONDS = Number(args.seconds);
const WORKERS = args.workers.split(",").map(Number);
const ENQUEUES = Number(args.enqueues);
const QUEUE = "fulfillment";

if (!/^postgres/.test(process.env.DATABASE_URL ?? "")) {
  console.error("bench:queue compares with pg-boss, which is PostgreSQL-only: DATABASE_URL=postgresql://postgres@127.0.0.1/postgres npm run bench:queue");
  process.exit(1);
}

const count = (n: number) => n.toLocaleString("en");

const status = await withScratchEnv("queue", process.env.BENCH_QUEUE_STRIPE_PORT ?? "14310", async (env) => {
  Object.assign(process.env, env);
  const connect = async () => {
    const client = new pg.Client({ connectionString: env.DATABASE_URL });
    await client.connect();
    return client;
  };
  const boss = new PgBoss({ connectionString: env.DATABASE_URL, max: Math.max(...WORKERS) + 1, supervise: false, schedule: false });
  boss.on("error", (error) => console.error("pg-boss:", error));
  await boss.start();
  await boss.createQueue(QUEUE);
  const { db } = await import("../lib/db/db.server");

  const server = await connect();
  const version = (await server.query(`SHOW server_version`)).rows[0].server_version as string;
  console.log(`PostgreSQL ${version}, pg-boss ${(await import("pg-boss/package.json", { with: { type: "json" } })).default.version}`);
  console.log(`filling each queue with ${count(DONE)} done and ${count(QUEUED)} queued jobs, both at once on two connections`);
  const now = new Date();
  const [ourClient, theirClient] = [await connect(), await connect()];
  const fills = await Promise.all([fillOurs(ourClient, DONE, QUEUED, now), fillPgBoss(theirClient, QUEUE, DONE, QUEUED, now)]);
  await Promise.all([ourClient.end(), theirClient.end()]);

  // Warm up (connections, Prisma's first queries, the caches), not counted.
  await runOurs(1, 1);
  await runPgBoss(boss, QUEUE, 1, 1);

  const cells: Cell[] = [];
  const merge = (a: Cell, b: Cell): Cell => ({
    ...a,
    seconds: a.seconds + b.seconds,
    jobs: a.jobs + b.jobs,
    misses: a.misses + b.misses,
    latencies: [...a.latencies, ...b.latencies],
  });
  for (const workers of WORKERS) {
    console.log(`${workers} worker(s): ours, pg-boss, pg-boss, ours, ${fmt(SECONDS / 2, 0)} s each`);
    const ours1 = await runOurs(workers, SECONDS / 2);
    const theirs1 = await runPgBoss(boss, QUEUE, workers, SECONDS / 2);
    const theirs2 = await runPgBoss(boss, QUEUE, workers, SECONDS / 2);
    const ours2 = await runOurs(workers, SECONDS / 2);
    cells.push(merge(ours1, ours2), merge(theirs1, theirs2));
  }

  console.log(`enqueueing ${ENQUEUES} jobs each way, in turn`);
  const enqueues = await measureEnqueues(boss, QUEUE, ENQUEUES);

  // Each claim's read under EXPLAIN ANALYZE, on the tables as the run left them.
  const plan = async (sql: string, params: unknown[]) => {
    await server.query("BEGIN");
    const { rows } = await server.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
    await server.query("ROLLBACK");
    return rows.map((r: Record<string, string>) => `    ${r["QUERY PLAN"]}`).join("\n");
  };
  // claimJob reads each state on its own (lib/worker/jobs.server.ts), each a range of (state, runAfter).
  const at = [new Date().toISOString().replace("Z", "")];
  const ourPlan = [
    await plan(`SELECT id, attempts, "runAfter" FROM "Job" WHERE "runAfter" <= $1 AND state = 'queued' ORDER BY "runAfter" LIMIT 5`, at),
    await plan(
      `SELECT id, attempts, "runAfter" FROM "Job" WHERE "runAfter" <= $1 AND state = 'running' AND "lockedUntil" < $1 ORDER BY "runAfter" LIMIT 5`,
      at,
    ),
  ].join("\n\n");
  const theirPlan = await plan(
    `SELECT id FROM pgboss.job WHERE name = $1 AND state < 'active' AND start_after < now() ORDER BY priority DESC, created_on, id LIMIT 1 FOR UPDATE SKIP LOCKED`,
    [QUEUE],
  );
  await server.end();
  await boss.stop({ graceful: false, wait: true });
  await db.$disconnect();

  console.log(`\nThe backlog (INSERT … SELECT over generate_series into each queue's table; secondary indexes built after; VACUUM ANALYZE)\n`);
  table(
    ["queue", "rows", "fill s", "table MB", "indexes MB"],
    fills.map((f) => [f.queue, count(f.rows), fmt(f.seconds, 1), fmt(f.tableMB, 0), fmt(f.indexesMB, 0)]),
  );

  console.log(`\nClaim, run (a no-op), complete: ${fmt(SECONDS, 0)} s per queue and worker count; latency from looking to holding a job\n`);
  table(
    ["workers", "queue", "jobs", "claims/s", "p50 ms", "p99 ms", "misses"],
    cells.map((c) => [
      String(c.workers),
      c.queue,
      count(c.jobs),
      fmt(c.jobs / c.seconds, 1),
      fmt(percentile(c.latencies, 50)),
      fmt(percentile(c.latencies, 99)),
      count(c.misses),
    ]),
  );
  console.log(`\nOurs / pg-boss (claims/s above 1: ours faster; latency above 1: ours slower)\n`);
  table(
    ["workers", "claims/s", "p50", "p99"],
    WORKERS.map((workers) => {
      const [ours, theirs] = [
        cells.find((c) => c.workers === workers && c.queue === "ours")!,
        cells.find((c) => c.workers === workers && c.queue === "pg-boss")!,
      ];
      return [
        String(workers),
        fmt(ours.jobs / ours.seconds / (theirs.jobs / theirs.seconds)),
        fmt(percentile(ours.latencies, 50) / percentile(theirs.latencies, 50)),
        fmt(percentile(ours.latencies, 99) / percentile(theirs.latencies, 99)),
      ];
    }),
  );

  console.log(`\nEnqueue one job in the order-paid transaction (a one-row write, then the enqueue), ${ENQUEUES} each, in turn\n`);
  table(
    ["way", "enqueue p50 ms", "p99", "transaction p50 ms", "p99", "rolls back with it"],
    enqueues.map((e) => [
      e.way,
      fmt(percentile(e.enqueueMs, 50)),
      fmt(percentile(e.enqueueMs, 99)),
      fmt(percentile(e.transactionMs, 50)),
      fmt(percentile(e.transactionMs, 99)),
      e.rolledBack === null ? "cannot" : e.rolledBack ? "yes" : "NO",
    ]),
  );

  console.log(
    `\nOurs: claimJob's reads of candidates (queued, then running past its lease)\n${ourPlan}\n\npg-boss: fetch()'s read of candidates (its UPDATE's CTE)\n${theirPlan}`,
  );
  return enqueues.some((e) => e.rolledBack === false) ? 1 : 0;
});
process.exit(status);
