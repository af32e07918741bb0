// npm run bench:scale -- --records 10000000: the pattern at a real shop's
// size. A shop taking 100 orders a second keeps ~10M attempts for the 24 h
// their keys live, and as many orders, webhook events, jobs and job steps.
// Two worlds side by side (scripts/scale/worlds.ts), each a scratch database
// and local Stripe server of its own: one is filled to a tenth of --records,
// then to all of it, with the engine's bulk path (scripts/scale/fill.ts);
// after each fill both measure the shop's operations at once
// (scripts/scale/operations.ts), the other world on empty tables. Then the
// full one runs a steady load of claims, first alone, then with the reapers
// working off the day's backlog (scripts/scale/reaping.ts). Printed: how long
// the fill took, how big each table and index is, each operation's p50 and
// p99 full vs empty, the claims' p99 with and without reaping and the
// reapers' rows/s; the charts go to --charts (docs/images). On the engine
// DATABASE_URL names (scripts/scale/engine.ts): PostgreSQL, 10M records by
// default, or SQLite (a file per world), 1M by default:
// DATABASE_URL=postgresql://postgres@127.0.0.1/postgres npm run bench:scale -- --records 10000000
// npm run bench:scale -- --records 1000000
import path from "node:path";
import { parseArgs } from "node:util";
import { fmt, percentile, table } from "./bench-engines";
import { claimsOverTime, latencyBySize, type SecondPoint, type SizePoint } from "./charts";
import { engine as namedEngine, type TableSize } from "./scale/engine";
import type { Fill } from "./scale/fill";
import { OPERATIONS, type Samples } from "./scale/operations";
import type { Reaping } from "./scale/reaping";
import { serveWorld, startWorld } from "./scale/worlds";
import { root } from "./scratch-env";

const { values: args } = parseArgs({
  options: {
    records: { type: "string" },
    samples: { type: "string", default: "200" },
    seconds: { type: "string", default: "20" },
    charts: { type: "string", default: path.join(root, "docs", "images") },
  },
});
const engine = await namedEngine();
const RECORDS = Number(args.records ?? (engine.name === "PostgreSQL" ? 10_000_000 : 1_000_000));
const SAMPLES = Number(args.samples);
const PHASE_SECONDS = Number(args.seconds);
const CLAIMS_PER_SECOND = 200; // a 100-orders/s shop's claims: each order's new key, and as many retries replayed

type Stage = { records: number; samples: Samples };
type Filled = Fill & { upTo: number; seconds: number };

if (process.env.SCALE_WORLD) await serveWorld(`scale_${process.env.SCALE_WORLD}`, process.env.SCALE_STRIPE_PORT!);
const firstPort = Number(process.env.BENCH_SCALE_STRIPE_PORT ?? 14302);
const script = path.join(root, "scripts", "bench-scale.ts");
const worlds = {
  full: startWorld(script, process.argv.slice(2), "full", String(firstPort)),
  empty: startWorld(script, process.argv.slice(2), "empty", String(firstPort + 1)),
};
await Promise.all([worlds.full.ready, worlds.empty.ready]);

/** Both worlds measure at once: the machine's other work falls on both. */
const stages: Stage[] = [];
const emptyStages: Stage[] = [];
const measureBoth = async (records: number) => {
  console.log(`measuring: ${records.toLocaleString("en")} records per table, and empty tables, side by side`);
  const [full, empty] = await Promise.all([
    worlds.full.ask<Samples>({ do: "measure", samples: SAMPLES }),
    worlds.empty.ask<Samples>({ do: "measure", samples: SAMPLES }),
  ]);
  stages.push({ records, samples: full });
  emptyStages.push({ records: 0, samples: empty });
};
const fills: Filled[] = [];
const now = new Date().toISOString();
let filled = 0;
for (const upTo of [Math.round(RECORDS / 10), RECORDS]) {
  console.log(`filling rows ${(filled + 1).toLocaleString("en")}..${upTo.toLocaleString("en")}`);
  fills.push({ ...(await worlds.full.ask<Fill & { seconds: number }>({ do: "fill", first: filled + 1, last: upTo, total: RECORDS, now })), upTo });
  filled = upTo;
  await measureBoth(upTo);
}
const tableSizes = await worlds.full.ask<TableSize[]>({ do: "sizes" });
await worlds.empty.ask({ do: "exit" });
console.log(`claims at ${CLAIMS_PER_SECOND}/s on the full tables, ${PHASE_SECONDS} s alone, then ${PHASE_SECONDS} s with the reapers`);
const reaping = await worlds.full.ask<Reaping>({ do: "reap", seconds: PHASE_SECONDS, claimsPerSecond: CLAIMS_PER_SECOND });
await worlds.full.ask({ do: "exit" });
await Promise.all([worlds.full.exited, worlds.empty.exited]);

const mb = (bytes: number) => fmt(bytes / 1048576, 0);
const count = (n: number) => n.toLocaleString("en");

console.log(`\nThe fill (${engine.loadNote})\n`);
table(
  ["rows per table", "wall s", `${engine.cpuOf} CPU s`, ...fills[0]!.tables.map((t) => t.table)],
  fills.map((f) => [count(f.upTo), fmt(f.seconds, 1), f.cpuSeconds === null ? "-" : fmt(f.cpuSeconds, 1), ...f.tables.map((t) => fmt(t.seconds, 1))]),
);
const cpu = fills.every((f) => f.cpuSeconds !== null) ? fills.reduce((s, f) => s + f.cpuSeconds!, 0) : null;
const wall = fills.reduce((s, f) => s + f.seconds, 0);
console.log(`total: ${fmt(wall, 1)} s wall${cpu === null ? "" : `, ${fmt(cpu, 1)} s of the ${engine.cpuOf}'s CPU`} for ${count(RECORDS)} records per table\n`);
console.log(`sizes: ${engine.sizesNote}\n`);
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

// The table: the full world's last stage against the empty world's measured at the same moment.
const [empty, full] = [emptyStages[emptyStages.length - 1]!, stages[stages.length - 1]!];
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
console.log(
  `\nClaims (a new key, then a replay) at ${reaping.claimsPerSecond}/s, ${PHASE_SECONDS} s alone, then ${fmt(reaping.reapingSeconds, 1)} s with the reapers\n`,
);
table(
  ["", "claims", "p50 ms", "p99 ms", "max ms"],
  [
    ["without reaping", String(alone.length), fmt(percentile(alone, 50)), fmt(percentile(alone, 99)), fmt(Math.max(...alone))],
    ["during reaping", String(withReaper.length), fmt(percentile(withReaper, 50)), fmt(percentile(withReaper, 99)), fmt(Math.max(...withReaper))],
  ],
);
console.log(`claim p99 during reaping / without: ${fmt(percentile(withReaper, 99) / percentile(alone, 99))}\n`);
table(
  ["reaper (as the worker runs it: 1,000 a batch, 50 ms between)", "rows deleted", "seconds in it", "rows/s"],
  reaping.reaped.map((r) => [r.table, count(r.rows), fmt(r.seconds, 1), fmt(r.rows / Math.max(r.seconds, 1e-9), 0)]),
);
const reapedRows = reaping.reaped.reduce((s, r) => s + r.rows, 0);
console.log(`all reapers: ${count(reapedRows)} rows in ${fmt(reaping.reapingSeconds, 1)} s, ${fmt(reapedRows / reaping.reapingSeconds, 0)} rows/s`);

// The pictures.
const label = (records: number) => (records === 0 ? "empty" : records >= 1e6 ? `${records / 1e6}M` : `${records / 1e3}k`);
// The chart: the empty world's samples of both stages, then each stage of the full one.
const pooled: Stage = { records: 0, samples: Object.fromEntries(OPERATIONS.map((op) => [op, emptyStages.flatMap((e) => e.samples[op])])) as Samples };
const sizePoints: SizePoint[] = [pooled, ...stages].flatMap((s, order) =>
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
// PostgreSQL's charts keep their names; SQLite's go beside them.
const chartFile = (name: string) => path.join(args.charts, `${name}${engine.name === "PostgreSQL" ? "" : "-sqlite"}.svg`);
const latencyFile = chartFile("scale-latency");
await latencyBySize(sizePoints, latencyFile, `Latency by table size (${engine.name}, ${count(RECORDS)} records per table at full)`);
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
const reapingFile = chartFile("scale-reaping");
await claimsOverTime(
  secondPoints,
  PHASE_SECONDS,
  PHASE_SECONDS + reaping.reapingSeconds,
  reapingFile,
  `Claims at ${reaping.claimsPerSecond}/s on full tables (${engine.name}); the reapers run in the shaded part`,
);
console.log(`\ncharts: ${path.relative(root, latencyFile)}, ${path.relative(root, reapingFile)}`);
