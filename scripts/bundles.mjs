// Where `npm run build` puts the bundles `npm start` runs with plain node (no
// tsx: it is a devDependency, gone after `npm prune --omit=dev`), and the stamp
// that ties them to the `next build` they were made with: a bare `next build`
// (as an edit-and-rebuild often is) leaves dist/ as it was, and `npm start`
// would run the old worker and local Stripe server beside the new app. Plain
// JavaScript, because scripts/start.mjs reads it before any bundle exists.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

/** What scripts/build-server.mjs bundles; each lands at bundlePath(entry). */
export const ENTRIES = {
  supervise: "scripts/supervise.ts",
  watch: "scripts/watch-supervisor.ts",
  worker: "scripts/worker.ts",
  stripe: "scripts/stripe-local.ts",
};

export const DIST = "dist";
/** dist/'s copy of the .next/BUILD_ID it was built beside. */
export const STAMP = path.posix.join(DIST, "BUILD_ID");
export const NEXT_BUILD_ID = ".next/BUILD_ID";

/** Where an entry's bundle lands: scripts/worker.ts → dist/scripts/worker.mjs. */
export const bundlePath = (entry) => path.posix.join(DIST, entry.replace(/\.ts$/, ".mjs"));

const read = (file) => (existsSync(file) ? readFileSync(file, "utf8").trim() : null);

/** Why `npm start` cannot run from `root` (bundles missing, or not of the current Next build), or null. */
export function bundlesProblem(root) {
  const missing = Object.values(ENTRIES).filter((entry) => !existsSync(path.join(root, bundlePath(entry))));
  const stamp = read(path.join(root, STAMP));
  const nextBuild = read(path.join(root, NEXT_BUILD_ID));
  if (missing.length > 0 || stamp === null) return `npm start: ${DIST}/ has no server bundles (${missing.join(", ") || STAMP}). Run \`npm run build\` first.`;
  if (nextBuild === null) return `npm start: there is no Next build (${NEXT_BUILD_ID}). Run \`npm run build\` first.`;
  if (stamp !== nextBuild) {
    return `npm start: ${DIST}/ was bundled beside another Next build (${stamp}, the current one is ${nextBuild}): the worker and the local Stripe server would be older code than the app. Run \`npm run build\` (not a bare \`next build\`).`;
  }
  return null;
}
