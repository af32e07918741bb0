// `npm run dev` and `npm start`: runs the processes of scripts/app-processes.ts
// side by side, each line of their output prefixed with its name. When one of
// them exits, the others are stopped (SIGTERM, then SIGKILL after a grace
// period) and this exits with its code; SIGINT, SIGTERM and SIGHUP are passed
// on to all of them. Written here rather than with `concurrently` because
// `npm start` must run after `npm prune --omit=dev`: `npm run build` bundles
// this file into dist/ (package.json "build:server"), run with plain node.
//
//   node --conditions=react-server dist/scripts/supervise.mjs start
//   tsx --conditions=react-server scripts/supervise.ts dev
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { loadEnv } from "../lib/env.server";
import { appProcesses, type AppKind } from "./app-processes";

const GRACE_MS = 5000;
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

const children = new Map<string, ChildProcess>();
let stopping = false;

function prefixed(name: keyof typeof COLORS, stream: NodeJS.ReadableStream, out: NodeJS.WriteStream) {
  const label = out.isTTY ? `\x1b[${COLORS[name]}m[${name}]\x1b[0m` : `[${name}]`;
  createInterface({ input: stream }).on("line", (line) => out.write(`${label} ${line}\n`));
}

function stopAll(signal: NodeJS.Signals) {
  for (const child of children.values()) if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  setTimeout(() => {
    for (const child of children.values()) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }, GRACE_MS).unref();
}

for (const { name, args } of plan) {
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  children.set(name, child);
  prefixed(name, child.stdout!, process.stdout);
  prefixed(name, child.stderr!, process.stderr);
  child.on("exit", (code, signal) => {
    children.delete(name);
    if (!stopping) {
      stopping = true;
      console.error(`[${name}] exited (${signal ?? code}): stopping the others`);
      process.exitCode = code || 1;
      stopAll("SIGTERM");
    }
    if (children.size === 0) process.exit();
  });
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    stopping = true;
    stopAll(signal);
  });
}
