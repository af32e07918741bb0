// `npm start` is a production start. In a copy of this checkout whose
// node_modules went through `npm prune --omit=dev` (no tsx, no concurrently),
// after `npm run build:server` (the part of `npm run build` that bundles the
// supervisor, the worker and the local Stripe server; `next build` already ran
// for this suite), `npm start` serves the app, runs the worker and starts the
// local Stripe server in local mode only; nothing it runs is tsx or concurrently.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { exited, instancePort } from "./app-instance";

test.setTimeout(240_000);

const root = process.cwd();
// Outside this checkout: Node would find its tsx in a parent node_modules.
const scratch = path.join(tmpdir(), `payonce-production-start-${instancePort(112)}`);
const port = instancePort(112);
const stripePort = instancePort(113) + 10_000;
const databaseUrl = process.env.DATABASE_URL!.replace(/^file:\.\//, `file:${root}/`);
const run = (command: string, args: string[]) => execFileSync(command, args, { cwd: scratch, stdio: "pipe", env: { ...process.env, NODE_OPTIONS: "" } });

test.beforeAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  execFileSync("mkdir", ["-p", scratch]);
  // node_modules as hard links (fast; prune only unlinks), the rest copied.
  execFileSync("cp", ["-al", path.join(root, "node_modules"), scratch]);
  const skip = new Set(["node_modules", "data", ".git", "test-results", "playwright-report", "dist"]);
  const entries = readdirSync(root).filter((name) => !skip.has(name));
  execFileSync("cp", ["-a", ...entries.map((name) => path.join(root, name)), scratch]);
  run("npm", ["run", "build:server"]);
  run("npm", ["prune", "--omit=dev", "--offline", "--no-audit", "--no-fund"]);
});
test.afterAll(() => rmSync(scratch, { recursive: true, force: true }));

type Started = { npm: ChildProcess; output: () => string };

function npmStart(env: Record<string, string>): Started {
  const npm = spawn("npm", ["start"], {
    cwd: scratch,
    detached: true, // a process group of its own: stopped whole below
    env: {
      ...process.env,
      NODE_OPTIONS: "",
      PORT: String(port),
      LOCAL_STRIPE_PORT: String(stripePort),
      LOCAL_STRIPE_DB: path.join(scratch, "data", "local-stripe.db"),
      DATABASE_URL: databaseUrl,
      NEXT_TELEMETRY_DISABLED: "1",
      ...env,
    },
  });
  let output = "";
  npm.stdout!.on("data", (d: Buffer) => (output += d));
  npm.stderr!.on("data", (d: Buffer) => (output += d));
  return { npm, output: () => output };
}

async function stop({ npm }: Started) {
  try {
    process.kill(-npm.pid!, "SIGTERM");
  } catch {
    return;
  }
  const code = await Promise.race([exited(npm), new Promise((r) => setTimeout(() => r("still running"), 15_000))]);
  if (code === "still running") process.kill(-npm.pid!, "SIGKILL");
}

const answers = (url: string) =>
  fetch(url).then(
    (r) => r.status,
    () => 0,
  );

/** Every command line in the process group `npm start` began. */
const processTree = (started: Started) =>
  execFileSync("ps", ["-e", "-o", "pgid=,args="])
    .toString()
    .split("\n")
    .map((line) => /^\s*(\d+) (.*)$/.exec(line))
    .filter((match) => match?.[1] === String(started.npm.pid))
    .map((match) => match![2]!);

test("the pruned install has neither tsx nor concurrently", () => {
  expect(() => run("node", ["-e", "require.resolve('tsx')"])).toThrow();
  expect(() => run("node", ["-e", "require.resolve('concurrently')"])).toThrow();
});

test("local mode: npm start serves the app, runs the worker and the local Stripe server, without tsx or concurrently", async () => {
  const started = npmStart({ LOCAL_STRIPE_WEBHOOK_URL: `http://127.0.0.1:${port}/api/webhooks/stripe` });
  try {
    await expect.poll(() => answers(`http://127.0.0.1:${port}/api/products`), { timeout: 60_000 }).toBe(200);
    await expect.poll(() => answers(`http://127.0.0.1:${stripePort}/_control/faults`), { timeout: 10_000 }).toBe(200);
    await expect.poll(started.output, { timeout: 10_000 }).toMatch(/\[worker\] .*jobs every/);
    const tree = processTree(started);
    expect(tree.some((line) => line.includes("dist/scripts/worker.mjs"))).toBe(true);
    expect(tree.filter((line) => /tsx|concurrently/.test(line))).toEqual([]);
  } finally {
    await stop(started);
  }
});

test("with a STRIPE_SECRET_KEY: npm start serves the app and the worker, and no local Stripe server", async () => {
  const started = npmStart({
    STRIPE_SECRET_KEY: "sk_test_production_start",
    STRIPE_WEBHOOK_SECRET: "whsec_production_start",
    SESSION_SECRET: "s".repeat(40),
  });
  try {
    await expect.poll(() => answers(`http://127.0.0.1:${port}/api/products`), { timeout: 60_000 }).toBe(200);
    await expect.poll(started.output, { timeout: 10_000 }).toMatch(/\[worker\] .*jobs every/);
    expect(started.output()).toContain("the local Stripe server is not started");
    expect(await answers(`http://127.0.0.1:${stripePort}/_control/faults`)).toBe(0);
    expect(processTree(started).filter((line) => line.includes("local-stripe"))).toEqual([]);
  } finally {
    await stop(started);
  }
});
