// npm run bench:scale is run by hand (ten million rows take minutes); this
// smoke run at 10,000 records keeps the script from rotting on either engine
// (PostgreSQL when DATABASE_URL names it, SQLite otherwise): it fills,
// measures, reaps and draws end to end, and prints every table. No figure is
// judged here: figures come from the bench's own output (docs/benchmarks.md).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { SERVER_NODE_ARGS } from "../scripts/node-args";

const charted = /^postgres/.test(process.env.DATABASE_URL ?? "") ? "" : "-sqlite";

describe("bench:scale", () => {
  it("runs end to end at 10,000 records and writes its tables and charts", () => {
    const charts = mkdtempSync(path.join(tmpdir(), "payonce-scale-charts-"));
    try {
      const run = spawnSync(
        process.execPath,
        [...SERVER_NODE_ARGS, "scripts/bench-scale.ts", "--records", "10000", "--samples", "8", "--seconds", "1", "--charts", charts],
        { env: { ...process.env, BENCH_SCALE_STRIPE_PORT: process.env.BENCH_SCALE_STRIPE_PORT ?? "14303" }, encoding: "utf8" },
      );
      assert.equal(run.status, 0, run.stderr);
      for (const heading of ["The fill", "Latency, ms", "claim p99 during reaping / without", "all reapers:"]) assert.match(run.stdout, new RegExp(heading));
      for (const file of [`scale-latency${charted}.svg`, `scale-reaping${charted}.svg`]) assert.ok(existsSync(path.join(charts, file)), file);
    } finally {
      rmSync(charts, { recursive: true, force: true });
    }
  });
});
