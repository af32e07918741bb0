// `npm start` is a production start. In a copy of this checkout whose
// node_modules went through `npm prune --omit=dev` (no tsx, no concurrently),
// after `npm run build:server` (the part of `npm run build` that bundles the
// supervisor, the worker and the local Stripe server; `next build` already ran
// for this suite), `npm start` serves the app, runs the worker and starts the
// local Stripe server in local mode only; nothing it runs is tsx or concurrently.
// Stopping the supervisor alone (SIGTERM to its pid) leaves no process behind,
// and so does killing it (kill -9 of it, or of npm start's whole process group:
// its children, in process groups of their own, stop by themselves). Its
// stdout closed (`npm start | head -1`), it runs on without it.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { exited, instancePort } from "./app-instance";
import { descendants, inGroups, killGroups } from "./process-tree";

test.setTimeout(240_000);

const root = process.cwd();
// Outside this checkout: Node would find its tsx in a parent node_modules.
const scratch = path.join(tmpdir(), `payonce-production-start-${instancePort(112)}`);
const port = instancePort(112);
// The local Stripe server's port: E2E ports sit near 3000, Stripe's near 12000
// (the suite's own is E2E_STRIPE_PORT, unknown here); +10 000 lands among
// those and stays clear of every app port an instance of this suite takes.
const stripePort = instancePort(113) + 10_000;
// A database of its own: its worker's completer, reaper and jobs would act on the other specs' orders.
const databaseUrl = `file:${path.join(scratch, "data", "production-start.db")}`;
// Never the shell's Stripe settings (README's real-mode steps export them): each test says its own.
const scratchEnv: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: "", DATABASE_URL: databaseUrl };
delete scratchEnv.STRIPE_SECRET_KEY;
delete scratchEnv.STRIPE_WEBHOOK_SECRET;
const run = (command: string, args: string[]) => execFileSync(command, args, { cwd: scratch, stdio: "pipe", env: scratchEnv });
const packageLock = path.join(root, "node_modules", ".package-lock.json");
const digest = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");
const packageLockBefore = digest(packageLock);

test.beforeAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  execFileSync("mkdir", ["-p", scratch]);
  // node_modules as hard links (fast; prune only unlinks), or copied where
  // the temporary directory is another file system (EXDEV: a tmpfs /tmp).
  try {
    execFileSync("cp", ["-al", path.join(root, "node_modules"), scratch], { stdio: "pipe" });
  } catch {
    rmSync(path.join(scratch, "node_modules"), { recursive: true, force: true });
    execFileSync("cp", ["-a", path.join(root, "node_modules"), scratch]);
  }
  // The one file npm rewrites in place (a write into a hard link lands in the
  // checkout's own): removed here, npm prune writes a new file.
  rmSync(path.join(scratch, "node_modules", ".package-lock.json"));
  const skip = new Set(["node_modules", "data", ".git", "test-results", "playwright-report", "dist"]);
  const entries = readdirSync(root).filter((name) => !skip.has(name));
  execFileSync("cp", ["-a", ...entries.map((name) => path.join(root, name)), scratch]);
  run("npm", ["run", "setup"]); // generated clients, and its own database migrated and seeded
  run("npm", ["run", "build:server"]);
  run("npm", ["prune", "--omit=dev", "--offline", "--no-audit", "--no-fund"]);
});
test.afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A started supervisor: `process` is npm (or the supervisor itself), `supervisor` finds the supervisor's pid. */
type Started = { process: ChildProcess; supervisor: () => number | undefined; output: () => string };

const LOCAL = { LOCAL_STRIPE_WEBHOOK_URL: `http://127.0.0.1:${port}/api/webhooks/stripe` };

const startEnv = (env: Record<string, string>): NodeJS.ProcessEnv => ({
  ...scratchEnv,
  PORT: String(port),
  LOCAL_STRIPE_PORT: String(stripePort),
  LOCAL_STRIPE_DB: path.join(scratch, "data", "local-stripe.db"),
  NEXT_TELEMETRY_DISABLED: "1",
  ...env,
});

function npmStart(env: Record<string, string>): Started {
  // A process group of its own: looked at (and cleaned up) below.
  const npm = spawn("npm", ["start"], { cwd: scratch, detached: true, env: startEnv(env) });
  let output = "";
  npm.stdout!.on("data", (d: Buffer) => (output += d));
  npm.stderr!.on("data", (d: Buffer) => (output += d));
  // Not npm's `sh -c` above it.
  const supervisor = () => descendants(npm.pid!).find((p) => /^\S*node .*scripts\/start\.mjs/.test(p.args))?.pid;
  return { process: npm, supervisor, output: () => output };
}

const answers = (url: string) =>
  fetch(url).then(
    (r) => r.status,
    () => 0,
  );

/** Local mode: the app serves, the local Stripe server answers, and every process has started. */
async function localUp(started: Started) {
  await expect.poll(() => answers(`http://127.0.0.1:${port}/api/products`), { timeout: 60_000 }).toBe(200);
  await expect.poll(() => answers(`http://127.0.0.1:${stripePort}/_control/faults`), { timeout: 10_000 }).toBe(200);
  expect(descendants(started.process.pid!).some((p) => p.args.includes("dist/scripts/worker.mjs"))).toBe(true);
}

/**
 * `how` stops it (SIGTERM to the supervisor's pid only, as a process manager
 * stopping the service might, unless told otherwise); then every group it or
 * its children began is empty, and both ports refuse.
 */
async function stop(started: Started, how = (supervisor: number) => process.kill(supervisor, "SIGTERM")) {
  const tree = descendants(started.process.pid!);
  const groups = [...new Set([started.process.pid!, ...tree.map((p) => p.pgid)])];
  try {
    const supervisor = started.supervisor();
    expect(supervisor, tree.map((p) => p.args).join("\n")).toBeDefined();
    how(supervisor!);
    await expect.poll(() => inGroups(groups), { timeout: 20_000 }).toEqual([]);
    await expect.poll(() => answers(`http://127.0.0.1:${port}/api/products`), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => answers(`http://127.0.0.1:${stripePort}/_control/health`), { timeout: 10_000 }).toBe(0);
  } finally {
    killGroups(groups);
  }
  return exited(started.process);
}

test("the pruned install has neither tsx nor concurrently, and the checkout's node_modules was left as it was", () => {
  expect(() => run("node", ["-e", "require.resolve('tsx')"])).toThrow();
  expect(() => run("node", ["-e", "require.resolve('concurrently')"])).toThrow();
  expect(digest(packageLock), "node_modules/.package-lock.json of the checkout").toBe(packageLockBefore);
});

test("npm start refuses, saying to run npm run build, without server bundles or with bundles of another Next build", () => {
  const stamp = path.join(scratch, "dist", "BUILD_ID");
  const good = readFileSync(stamp, "utf8");
  const startOutput = () => {
    try {
      run("npm", ["start"]);
      return "started";
    } catch (error) {
      return String((error as { stderr: Buffer }).stderr);
    }
  };
  try {
    writeFileSync(stamp, "an-older-build");
    expect(startOutput()).toMatch(/another Next build .*Run `npm run build`/);
    rmSync(stamp);
    expect(startOutput()).toMatch(/no server bundles .*Run `npm run build`/);
  } finally {
    writeFileSync(stamp, good);
  }
});

test("local mode: npm start serves the app, runs the worker and the local Stripe server, without tsx or concurrently", async () => {
  const started = npmStart(LOCAL);
  try {
    await localUp(started);
    await expect.poll(started.output, { timeout: 10_000 }).toMatch(/\[worker\] .*jobs every/);
    expect(descendants(started.process.pid!).filter((p) => /tsx|concurrently/.test(p.args))).toEqual([]);
  } finally {
    await stop(started);
  }
  // The last lines of output are there: the supervisor waits for its children's output to end.
  expect(started.output()).toMatch(/\[worker\] .*: stopped$/m);
});

// Its children sit in process groups of their own (each is stopped whole), out
// of reach of a signal to the supervisor's group: each watches its channel to
// the supervisor and stops itself when it closes, or they would hold the ports
// (and a second worker would run beside the next start's).
test("kill -9 of the supervisor: the app, the worker and the local Stripe server stop by themselves", async () => {
  const started = npmStart(LOCAL);
  try {
    await localUp(started);
  } finally {
    await stop(started, (supervisor) => process.kill(supervisor, "SIGKILL"));
  }
});

test("kill -9 of npm start's whole process group: the same", async () => {
  const started = npmStart(LOCAL);
  try {
    await localUp(started);
  } finally {
    await stop(started, () => process.kill(-started.process.pid!, "SIGKILL"));
  }
});

test("its stdout closed (npm start | head -1): the supervisor runs on without it, and stops everything as before", async () => {
  // As npm start runs it, its stdout closed before it writes anything: each write there fails (EPIPE).
  const supervisor = spawn(process.execPath, ["--conditions=react-server", "scripts/start.mjs"], {
    cwd: scratch,
    detached: true,
    env: startEnv(LOCAL),
    stdio: ["ignore", "pipe", "pipe"],
  });
  supervisor.stdout!.destroy();
  let stderr = "";
  supervisor.stderr!.on("data", (d: Buffer) => (stderr += d));
  const started: Started = { process: supervisor, supervisor: () => supervisor.pid, output: () => stderr };
  try {
    await expect.poll(() => stderr, { timeout: 30_000 }).toMatch(/EPIPE/);
    expect(stderr).not.toMatch(/Unhandled 'error' event|Error: write EPIPE/);
    expect(stderr.match(/stdout is closed/g), stderr).toHaveLength(1); // said once
    await localUp(started); // the local Stripe server logs these requests: more lines for the closed stdout
    expect(supervisor.exitCode, stderr).toBeNull();
    expect(await stop(started), stderr).toBe(0);
  } finally {
    killGroups([supervisor.pid!]);
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
    expect(descendants(started.process.pid!).filter((p) => p.args.includes("stripe-local"))).toEqual([]);
  } finally {
    await stop(started);
  }
});
