// The benchmarks' frame: each engine's figures come from a child process of
// its own (the app's database client is one per process), in a scratch world
// of its own (scripts/scratch-env.ts): SQLite always, PostgreSQL too when
// DATABASE_URL points at a server. The parent compares what they report.
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { SERVER_NODE_ARGS } from "./node-args";
import { root, withScratchEnv } from "./scratch-env";

export const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;
export const median = (xs: number[]) => percentile(xs, 50);
export const fmt = (x: number, digits = 2) => x.toFixed(digits);

export function table(header: string[], lines: string[][]) {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const print = (cells: string[]) => console.log(cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  "));
  print(header);
  print(widths.map((w) => "-".repeat(w)));
  lines.forEach(print);
}

/**
 * In the parent: runs `script` once per engine and returns what each reported.
 * In the child (BENCH_ENGINE set): runs `measure` in the scratch world and
 * reports its result. `label` and `stripePort` keep benchmarks apart.
 */
export async function perEngine<Result>(script: string, label: string, stripePort: string, measure: () => Promise<Result>): Promise<Result[] | null> {
  if (process.env.BENCH_ENGINE) {
    const status = await withScratchEnv(label, stripePort, async (env) => {
      Object.assign(process.env, env);
      writeFileSync(process.env.BENCH_RESULT!, JSON.stringify(await measure()));
      return 0;
    });
    process.exit(status);
  }
  const postgres = /^postgres/.test(process.env.DATABASE_URL ?? "") ? process.env.DATABASE_URL : undefined;
  const results: Result[] = [];
  for (const url of postgres ? [undefined, postgres] : [undefined]) {
    const file = path.join(tmpdir(), `payonce-${label}-${randomUUID()}.json`);
    const env: NodeJS.ProcessEnv = { ...process.env, BENCH_ENGINE: url ? "postgres" : "sqlite", BENCH_RESULT: file };
    if (url) env.DATABASE_URL = url;
    else delete env.DATABASE_URL;
    const run = spawnSync(process.execPath, [...SERVER_NODE_ARGS, script, ...process.argv.slice(2)], { cwd: root, env, stdio: "inherit" });
    if (run.status !== 0) return null;
    results.push(JSON.parse(readFileSync(file, "utf8")) as Result);
    rmSync(file, { force: true });
  }
  return results;
}
