// npm run bench:scale -- --records 10000000: the pattern at a real shop's
// size. A shop taking 100 orders a second keeps ~10M attempts for the 24 h
// their keys live, and as many orders, webhook events, jobs and job steps.
// In a scratch PostgreSQL database and local Stripe server of its own, this
//   1. measures the shop's operations on empty tables (scripts/scale/operations.ts);
//   2. fills every table to a tenth of --records, then to all of it, with
//      PostgreSQL's bulk paths (scripts/scale/fill.ts), measuring again after each;
//   3. runs a steady load of claims, first alone, then with the reapers
//      working off the day's backlog (scripts/scale/reaping.ts);
// and prints how long the fill took, how big each table and index is, each
// operation's p50 and p99 full vs empty, and the claims' p99 with and without
// reaping; the charts go to --charts (docs/images). PostgreSQL only:
// DATABASE_URL=postgresql://postgres@127.0.0.1/postgres npm run bench:scale -- --records 10000000
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { fmt, percentile, perEngine, table } from "./bench-engines";
import { claimsOverTime, latencyBySize, type SecondPoint, type SizePoint } from "./scale/charts";
import { fill, sizes, type Fill, type TableSize } from "./scale/fill";
import { measureOperations, OPERATIONS, type Samples } from "./scale/operations";
import { reapUnderLoad, type Reaping } from "./scale/reaping";
import { root } from "./scratch-env";

const { values: args } = parseArgs({
  options: {
    records: { type: "string", default: "10000000" },
    samples: { type: "string", default: "200" },
    seconds: { type: "string", default: "20" },
    charts: { type: "string", default: path.join(root, "docs", "images") },
  },
});
const RECORDS = Number(args.records);
const SAMPLES = Number(args.samples);
const PHASE_SECONDS = Number(args.seconds);
const CLAIMS_PER_SECOND = 200; // a 100-orders/s shop's claims: each order's new key, and as many retries replayed
const REAP_BATCH = 1000;

type Stage = { records: number; samples: Samples };
type Result = { stages: Stage[]; fills: (Fill & { upTo: number; seconds: number })[]; sizes: TableSize[]; reaping: Reaping };

async function measure(): Promise<Result> {
  const { db } = await import("../lib/db/db.server");
  const { seed } = await import("../prisma/seed");
  await seed();
  await db.product.updateMany({ data: { stock: 1_000_000_000 } }); // orders never sell out mid-run
  const connect = async () => {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    return client;
  };
  const stages: Stage[] = [];
  const fills: Result["fills"] = [];
  const stage = async (records: number) => {
    console.log(`measuring at ${records.toLocaleString("en")} records per table`);
    stages.push({ records, samples: await measureOperations(SAMPLES) });
  };
  try {
    await stage(0);
    const now = new Date();
    let filled = 0;
    for (const upTo of [Math.round(RECORDS / 10), RECORDS]) {
      console.log(`filling rows ${(filled + 1).toLocaleString("en")}..${upTo.toLocaleString("en")}`);
      const start = performance.now();
      const filling = await fill(connect, filled + 1, upTo, RECORDS, now);
      fills.push({ upTo, seconds: (performance.now() - start) / 1000, ...filling });
      filled = upTo;
      await stage(upTo);
    }
    const client = await connect();
    const tableSizes = await sizes(client);
    await client.end();
    console.log(`claims at ${CLAIMS_PER_SECOND}/s, ${PHASE_SECONDS} s alone, then ${PHASE_SECONDS} s with the reapers`);
    const reaping = await reapUnderLoad(PHASE_SECONDS, CLAIMS_PER_SECOND, REAP_BATCH);
    return { stages, fills, sizes: tableSizes, reaping };
  } finally {
    await db.$disconnect();
  }
}

if (!process.env.BENCH_ENGINE && !/^postgres/.test(process.env.DATABASE_URL ?? "")) {
  console.error("bench:scale fills PostgreSQL: DATABASE_URL=postgresql://postgres@127.0.0.1/postgres npm run bench:scale -- --records 10000000");
  process.exit(1);
}
const results = await perEngine("scripts/bench-scale.ts", "scale", process.env.BENCH_SCALE_STRIPE_PORT ?? "14302", measure, { only: "postgres" });
if (!results) process.exit(1);
const { stages, fills, sizes: tableSizes, reaping } = results[0]!;
const mb = (bytes: number) => fmt(bytes / 1048576, 0);
const count = (n: number) => n.toLocaleString("en");

console.log(`\nThe fill (PostgreSQL's INSERT … SELECT over generate_series, two connections; secondary indexes built after; ANALYZE)\n`);
table(
  ["rows per table", "wall s", "server CPU s", ...fills[0]!.tables.map((t) => t.table)],
  fills.map((f) => [
    count(f.upTo),
    fmt(f.seconds, 1),
    f.serverCpuSeconds === null ? "-" : fmt(f.serverCpuSeconds, 1),
    ...f.tables.map((t) => fmt(t.seconds, 1)),
  ]),
);
const cpu = fills.every((f) => f.serverCpuSeconds !== null) ? fills.reduce((s, f) => s + f.serverCpuSeconds!, 0) : null;
const wall = fills.reduce((s, f) => s + f.seconds, 0);
console.log(`total: ${fmt(wall, 1)} s wall${cpu === null ? "" : `, ${fmt(cpu, 1)} s of the server's CPU`} for ${count(RECORDS)} records per table\n`);
table(
  ["table", "rows", "heap MB", "indexes MB", "total MB"],
  tableSizes.map((t) => {
    const indexes = t.indexes.reduce((s, i) => s + i.bytes, 0);
    return [t.table, count(t.rows), mb(t.heapBytes), mb(indexes), mb(t.totalBytes)];
  }),
);
console.log(`all tables: ${fmt(tableSizes.reduce((s, t) => s + t.totalBytes, 0) / 1073741824, 2)} GB\n`);
table(
  ["index", "MB"],
  tableSizes.flatMap((t) => t.indexes.map((i) => [i.name, mb(i.bytes)])),
);

const [empty, full] = [stages[0]!, stages[stages.length - 1]!];
const p = (s: Stage, op: (typeof OPERATIONS)[number], q: number) => percentile(s.samples[op], q);
console.log(`\nLatency, ms, one operation at a time: empty tables vs ${count(full.records)} records per table (same run)\n`);
table(
  ["operation", "n", "p50 empty", "p50 full", "ratio", "p99 empty", "p99 full", "ratio"],
  OPERATIONS.map((op) => [
    op,
    String(full.samples[op].length),
    fmt(p(empty, op, 50)),
    fmt(p(full, op, 50)),
    fmt(p(full, op, 50) / p(empty, op, 50)),
    fmt(p(empty, op, 99)),
    fmt(p(full, op, 99)),
    fmt(p(full, op, 99) / p(empty, op, 99)),
  ]),
);

const claims = (reapingNow: boolean) => reaping.samples.filter((s) => s.reaping === reapingNow).map((s) => s.ms);
const [alone, withReaper] = [claims(false), claims(true)];
console.log(`\nClaims (a new key, then a replay) at ${reaping.claimsPerSecond}/s, ${PHASE_SECONDS} s alone, then ${PHASE_SECONDS} s with the reapers\n`);
table(
  ["", "claims", "p50 ms", "p99 ms", "max ms"],
  [
    ["without reaping", String(alone.length), fmt(percentile(alone, 50)), fmt(percentile(alone, 99)), fmt(Math.max(...alone))],
    ["during reaping", String(withReaper.length), fmt(percentile(withReaper, 50)), fmt(percentile(withReaper, 99)), fmt(Math.max(...withReaper))],
  ],
);
console.log(`claim p99 during reaping / without: ${fmt(percentile(withReaper, 99) / percentile(alone, 99))}\n`);
table(
  ["reaper (batches of 1,000)", "rows deleted", "seconds in it", "rows/s"],
  reaping.reaped.map((r) => [r.table, count(r.rows), fmt(r.seconds, 1), fmt(r.rows / Math.max(r.seconds, 1e-9), 0)]),
);
const reapedRows = reaping.reaped.reduce((s, r) => s + r.rows, 0);
console.log(`all reapers: ${count(reapedRows)} rows in ${PHASE_SECONDS} s, ${fmt(reapedRows / PHASE_SECONDS, 0)} rows/s`);

// The pictures.
const label = (records: number) => (records === 0 ? "empty" : records >= 1e6 ? `${records / 1e6}M` : `${records / 1e3}k`);
const sizePoints: SizePoint[] = stages.flatMap((s, order) =>
  OPERATIONS.flatMap((operation) =>
    (["p50", "p99"] as const).map((q) => ({
      records: label(s.records),
      order,
      operation,
      percentile: q,
      ms: percentile(s.samples[operation], q === "p50" ? 50 : 99),
    })),
  ),
);
const latencyFile = path.join(args.charts, "scale-latency.svg");
await latencyBySize(sizePoints, latencyFile, `Latency by table size (PostgreSQL, ${count(RECORDS)} records per table at full)`);
const seconds = new Map<number, number[]>();
for (const s of reaping.samples) seconds.set(Math.floor(s.second), [...(seconds.get(Math.floor(s.second)) ?? []), s.ms]);
const secondPoints: SecondPoint[] = [...seconds.entries()].flatMap(([second, ms]) =>
  (["p50", "p99"] as const).map((q) => ({
    second,
    ms: percentile(ms, q === "p50" ? 50 : 99),
    percentile: q,
    phase: second >= PHASE_SECONDS ? "reaping" : "alone",
  })),
);
const reapingFile = path.join(args.charts, "scale-reaping.svg");
await claimsOverTime(
  secondPoints,
  PHASE_SECONDS,
  2 * PHASE_SECONDS,
  reapingFile,
  `Claims at ${reaping.claimsPerSecond}/s on full tables; the reapers run in the shaded part`,
);
console.log(`\ncharts: ${path.relative(root, latencyFile)}, ${path.relative(root, reapingFile)}`);
