// What `npm run dev` and `npm start` run side by side (scripts/supervise.ts):
// the web server, the worker and, in local mode only, the local Stripe server.
// With a STRIPE_SECRET_KEY it is left out: it signs webhook events and takes
// control requests for anyone who reaches it. `start` runs what `npm run build`
// bundled into dist/ with plain node (no tsx: it is a devDependency, gone after
// `npm prune --omit=dev`); `dev` runs the TypeScript through tsx.
import { SERVER_NODE_ARGS } from "./node-args";

export type AppProcess = { name: "stripe" | "web" | "worker"; args: string[] };
export type AppKind = "dev" | "start";

/** Where `npm run build` puts the bundles `npm start` runs (package.json "build:server"). */
export const BUNDLES = { supervise: "dist/scripts/supervise.mjs", worker: "dist/scripts/worker.mjs", stripe: "dist/local-stripe/server.mjs" };

/** Node arguments of each process (run with `process.execPath`), in start order. */
export function appProcesses(kind: AppKind, stripeMode: "local" | "stripe"): AppProcess[] {
  const bundled = ["--conditions=react-server"];
  const processes: AppProcess[] =
    kind === "dev"
      ? [
          { name: "stripe", args: [...SERVER_NODE_ARGS, "local-stripe/server.ts"] },
          { name: "web", args: ["--import", "tsx", "scripts/dev-server.ts"] },
          { name: "worker", args: [...SERVER_NODE_ARGS, "scripts/worker.ts"] },
        ]
      : [
          { name: "stripe", args: [...bundled, BUNDLES.stripe] },
          // Never under the react-server condition (scripts/node-args.ts).
          { name: "web", args: ["node_modules/next/dist/bin/next", "start"] },
          { name: "worker", args: [...bundled, BUNDLES.worker] },
        ];
  return stripeMode === "local" ? processes : processes.filter((p) => p.name !== "stripe");
}
