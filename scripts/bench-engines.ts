// The benchmarks' frame: each engine's figures come from a child process of
// its own (the app's database client is one per process), in a scratch world
// of its own (scripts/scratch-env.ts): SQLite always, PostgreSQL too when
// DATABASE_URL points at a server. The parent compares what they report.
import { spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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
export async function perEngine<Result>(
  script: string,
  label: string,
  stripePort: string,
  measure: () => Promise<Result>,
  options: { only?: "postgres" } = {},
): Promise<Result[] | null> {
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
  const urls = options.only ? [postgres] : postgres ? [undefined, postgres] : [undefined];
  for (const url of urls) {
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

/** The HTTP benchmarks run against the production build: made first when there is none. */
export function ensureBuild(): boolean {
  if (process.env.BENCH_ENGINE || existsSync(path.join(root, ".next", "BUILD_ID"))) return true;
  console.log("no production build yet: next build");
  return spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], { cwd: root, stdio: "inherit" }).status === 0;
}

/**
 * The scratch world as a shop under load: the catalog seeded with stock that
 * never runs out, production app instances on `ports`, API sessions on demand.
 */
export async function openShop(ports: number[]) {
  const { db } = await import("../lib/db/db.server");
  const { seed } = await import("../prisma/seed");
  await seed();
  await db.product.updateMany({ data: { stock: 1_000_000_000 } }); // orders never sell out mid-run
  const stops = await Promise.all(ports.map(startApp));
  return {
    /** A new API session's bearer token. */
    token: async () => ((await (await fetch(`http://127.0.0.1:${ports[0]}/api/sessions`, { method: "POST" })).json()) as { token: string }).token,
    stop: () => stops.forEach((stop) => stop()),
  };
}

/** A production app instance (next start) on `port`, in the scratch world's environment; returns how to stop it. */
async function startApp(port: number): Promise<() => void> {
  const answers = () =>
    fetch(`http://127.0.0.1:${port}/api/products`).then(
      (r) => r.ok,
      () => false,
    );
  if (await answers()) throw new Error(`port ${port} is taken (an app left over from an earlier run?); stop it and run again`);
  const log = path.join(tmpdir(), `payonce-bench-app-${port}.log`);
  const app = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: root,
    // One address opening sessions on demand, by design: not limited per hour.
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", API_SESSIONS_PER_HOUR: "1000000" },
    stdio: ["ignore", openSync(log, "w"), openSync(log, "a")],
    detached: true, // its own process group: stopping it stops all it started
  });
  for (let i = 0; i < 300; i++) {
    if (await answers()) {
      return () => {
        try {
          process.kill(-app.pid!, "SIGKILL");
        } catch {
          console.error(`the app on port ${port} had stopped by itself (exit ${app.exitCode ?? app.signalCode}); its log: ${log}`);
        }
      };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the app on port ${port} did not start`);
}
