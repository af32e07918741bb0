// `npm run dev`'s web server: `next dev`, started again whenever it is
// killed. The lab crashes a checkout as `kill -9` would
// (lib/demo/crash.server.ts, which takes this `next dev`'s whole
// process group down); the server comes back by itself, and the story goes on.
// Under scripts/supervise.ts (an IPC channel) it reports each `next dev`'s
// process group, so the supervisor stops it even if this process was killed;
// when the supervisor is gone, scripts/watch-supervisor.ts sends this a
// SIGTERM, and it stops `next dev` as on any other: the signal, then SIGKILL
// if `next dev` is still there halfway through STOP_GRACE_MS. Whoever stops
// this (the supervisor, or that watch) SIGKILLs this process's group
// STOP_GRACE_MS after its signal; once the supervisor is gone, that SIGKILL
// never reaches `next dev`'s group, so this one must come first, and half the
// grace leaves ample room between two timers started milliseconds apart.
import { spawn, type ChildProcess } from "node:child_process";
import { STOP_GRACE_MS } from "./app-processes";
import { stopGroup } from "./process-groups";

const args = ["node_modules/next/dist/bin/next", "dev", ...process.argv.slice(2)];
let server: ChildProcess;
let stopping = false;

function start() {
  // A process group of its own: the crash kills it and nothing else.
  server = spawn(process.execPath, args, { stdio: "inherit", detached: true, env: { ...process.env, PAYONCE_DEV_SUPERVISED: "true" } });
  if (server.pid) process.send?.({ group: server.pid });
  server.on("exit", (code, signal) => {
    if (!stopping && signal === "SIGKILL") {
      console.log("\n▲ next dev was killed (a crash from the lab?): starting it again\n");
      return start();
    }
    process.exit(code ?? 1);
  });
}

function stop(signal: NodeJS.Signals) {
  stopping = true;
  if (server.pid && !stopGroup(server.pid, signal, STOP_GRACE_MS / 2)) process.exit(1); // its group is gone already
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => stop(signal));
start();
