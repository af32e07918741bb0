// What `npm run dev` and `npm start` run side by side (scripts/supervise.ts):
// the web server, the worker and, in local mode only, the local Stripe server.
// With a STRIPE_SECRET_KEY it is left out: it signs webhook events and takes
// control requests for anyone who reaches it. `start` runs what `npm run build`
// bundled into dist/ with plain node (no tsx: it is a devDependency, gone after
// `npm prune --omit=dev`); `dev` runs the TypeScript through tsx.
import { bundlePath, ENTRIES } from "./bundles.mjs";
import { SERVER_NODE_ARGS } from "./node-args";

/** `ipc`: the process reports the process group of what it starts (scripts/dev-server.ts), for scripts/supervise.ts to stop. */
export type AppProcess = { name: "stripe" | "web" | "worker"; args: string[]; ipc?: true };
export type AppKind = "dev" | "start";

/** Node arguments of each process (run with `process.execPath`), in start order. */
export function appProcesses(kind: AppKind, stripeMode: "local" | "stripe"): AppProcess[] {
  const bundled = ["--conditions=react-server"];
  const processes: AppProcess[] =
    kind === "dev"
      ? [
          { name: "stripe", args: [...SERVER_NODE_ARGS, ENTRIES.stripe] },
          { name: "web", args: ["--import", "tsx", "scripts/dev-server.ts"], ipc: true },
          { name: "worker", args: [...SERVER_NODE_ARGS, ENTRIES.worker] },
        ]
      : [
          { name: "stripe", args: [...bundled, bundlePath(ENTRIES.stripe)] },
          // Never under the react-server condition (scripts/node-args.ts).
          { name: "web", args: ["node_modules/next/dist/bin/next", "start"] },
          { name: "worker", args: [...bundled, bundlePath(ENTRIES.worker)] },
        ];
  return stripeMode === "local" ? processes : processes.filter((p) => p.name !== "stripe");
}
