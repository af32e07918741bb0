// `npm run dev` and `npm start`: runs the processes of scripts/app-processes.ts
// side by side, each line of their output prefixed with its name. Each runs in
// a process group of its own, and stopping reaches the whole group (and the
// group of the `next dev` that scripts/dev-server.ts reports), so nothing is
// left on a port. When one of them exits, the others are stopped (SIGTERM,
// then SIGKILL after a grace period) and this exits with its code once the
// last one's output is written; SIGINT, SIGTERM and SIGHUP are passed on to all
// of them. Each child also stops by itself when this is gone without stopping
// it (kill -9: scripts/watch-supervisor.ts). Written here rather than with
// `concurrently` because `npm start` must run after `npm prune --omit=dev`:
// `npm run build` bundles this file into dist/ (package.json "build:server"),
// run with plain node.
//
//   node --conditions=react-server scripts/start.mjs   (npm start: this, bundled)
//   tsx --conditions=react-server scripts/supervise.ts dev
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { loadEnv } from "../lib/env.server";
import { appProcesses, STOP_GRACE_MS, type AppKind } from "./app-processes";
import { reportedGroup, signalGroup } from "./process-groups";

const COLORS = { stripe: 35, web: 36, worker: 33 } as const;

const kind = process.argv[2];
if (kind !== "dev" && kind !== "start") {
  console.error("usage: supervise.ts dev|start");
  process.exit(2);
}
// Invalid settings stop everything here, before anything starts, saying what to fix.
const mode = (() => {
  try {
    return loadEnv().stripe.mode;
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
})();
const plan = appProcesses(kind as AppKind, mode);
if (mode === "stripe") console.log("STRIPE_SECRET_KEY is set: Stripe itself takes payments, and the local Stripe server is not started.");

/** A child and the process groups it answers for: its own, and any it reported (scripts/dev-server.ts's `next dev`). */
type Running = { child: ChildProcess; groups: Set<number> };
const running = new Map<string, Running>();
let stopping = false;

// Output whose reader is gone (`npm start | head -1`, a log shipper that
// died, a closed terminal) fails (EPIPE, EIO). This runs on and drops what it
// cannot write, saying so once on the other stream while that one works: an
// operator would rather the shop keep taking payments, and the worker keep
// settling them, than have a log reader's end take it all down (a closed
// terminal also sends SIGHUP, which stops everything as before). The
// children's output is still read, or a child would block once its pipe filled.
for (const [out, other, name] of [
  [process.stdout, process.stderr, "stdout"],
  [process.stderr, process.stdout, "stderr"],
] as const) {
  let said = false;
  // Every write in flight fails: one error each.
  out.on("error", (error: NodeJS.ErrnoException) => {
    if (said || !other.writable) return;
    said = true;
    other.write(`[supervisor] ${name} is closed (${error.code}): what goes there is dropped from here on; everything runs on\n`);
  });
}

function prefixed(name: keyof typeof COLORS, stream: NodeJS.ReadableStream, out: NodeJS.WriteStream) {
  const label = out.isTTY ? `\x1b[${COLORS[name]}m[${name}]\x1b[0m` : `[${name}]`;
  createInterface({ input: stream }).on("line", (line) => {
    if (out.writable) out.write(`${label} ${line}\n`);
  });
}

function signalGroups({ groups }: Running, signal: NodeJS.Signals) {
  for (const group of groups) signalGroup(group, signal);
}

function stopAll(signal: NodeJS.Signals) {
  for (const entry of running.values()) signalGroups(entry, signal);
  setTimeout(() => {
    for (const entry of running.values()) signalGroups(entry, "SIGKILL");
  }, STOP_GRACE_MS).unref();
}

for (const { name, args, reportsGroup } of plan) {
  // A process group of its own, stopped whole: what a child started (`next
  // dev` under scripts/dev-server.ts) goes with it. The IPC channel: the child
  // stops when it closes (scripts/watch-supervisor.ts), and scripts/dev-server.ts
  // reports `next dev`'s group on it (believed from that process only).
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe", "ipc"], detached: true });
  const entry: Running = { child, groups: new Set(child.pid ? [child.pid] : []) };
  running.set(name, entry);
  prefixed(name, child.stdout!, process.stdout);
  prefixed(name, child.stderr!, process.stderr);
  if (reportsGroup) {
    child.on("message", (message: unknown) => {
      const group = reportedGroup(message);
      if (group !== undefined) entry.groups = new Set([child.pid!, group]);
    });
  }
  child.on("exit", (code, signal) => {
    if (stopping) return;
    stopping = true;
    console.error(`[${name}] exited (${signal ?? code}): stopping the others`);
    process.exitCode = code || 1;
    stopAll("SIGTERM");
  });
  // 'close': its output is all written. Whatever is left in its groups has nobody to stop it.
  child.on("close", () => {
    signalGroups(entry, "SIGKILL");
    running.delete(name);
    if (running.size === 0) process.exit();
  });
  child.on("error", (error) => console.error(`[${name}] ${error.message}`));
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    stopping = true;
    stopAll(signal);
  });
}
