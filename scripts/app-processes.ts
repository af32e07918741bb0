// What `npm run dev` and `npm start` run side by side (scripts/supervise.ts):
// the web server, the worker and, in local mode only, the local Stripe server.
// With a STRIPE_SECRET_KEY it is left out: it signs webhook events and takes
// control requests for anyone who reaches it. `start` runs what `npm run build`
// bundled into dist/ with plain node (no tsx: it is a devDependency, gone after
// `npm prune --omit=dev`); `dev` runs the TypeScript through tsx.
import { bundlePath, ENTRIES } from "./bundles.mjs";
import { SERVER_NODE_ARGS } from "./node-args";

/**
 * `reportsGroup`: the supervisor believes the process group it reports on its
 * IPC channel (scripts/dev-server.ts's `next dev`); from any other process
 * (`next start` is not our code) such a message is ignored.
 */
export type AppProcess = { name: "stripe" | "web" | "worker"; args: string[]; reportsGroup?: true };
export type AppKind = "dev" | "start";

/** Between SIGTERM and SIGKILL, when the supervisor stops them, or one stops itself once the supervisor is gone. */
export const STOP_GRACE_MS = 5000;

/**
 * Node arguments of each process, in start order. Run with `process.execPath`
 * and an IPC channel to the supervisor, each loads scripts/watch-supervisor.ts
 * first, to stop when the supervisor is gone.
 */
export function appProcesses(kind: AppKind, stripeMode: "local" | "stripe"): AppProcess[] {
  const bundled = ["--conditions=react-server"];
  // A path from the working directory, as every path here is.
  const watch = ["--import", `./${kind === "dev" ? ENTRIES.watch : bundlePath(ENTRIES.watch)}`];
  const processes: AppProcess[] =
    kind === "dev"
      ? [
          { name: "stripe", args: [...SERVER_NODE_ARGS, ...watch, ENTRIES.stripe] },
          { name: "web", args: ["--import", "tsx", ...watch, "scripts/dev-server.ts"], reportsGroup: true },
          { name: "worker", args: [...SERVER_NODE_ARGS, ...watch, ENTRIES.worker] },
        ]
      : [
          { name: "stripe", args: [...bundled, ...watch, bundlePath(ENTRIES.stripe)] },
          // Never under the react-server condition (scripts/node-args.ts).
          { name: "web", args: [...watch, "node_modules/next/dist/bin/next", "start"] },
          { name: "worker", args: [...bundled, ...watch, bundlePath(ENTRIES.worker)] },
        ];
  return stripeMode === "local" ? processes : processes.filter((p) => p.name !== "stripe");
}
