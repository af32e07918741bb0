// `npm run build:server` (the last step of `npm run build`): bundles the
// supervisor, the worker and the local Stripe server's start script into
// dist/ (esbuild, a devDependency: this runs before `npm prune --omit=dev`;
// packages stay imports, @payonce/stripe-local's own build among them), so
// `npm start` runs them with plain node, and stamps dist/ with the Next build
// it goes with (scripts/bundles.mjs).
import { copyFileSync, existsSync } from "node:fs";
import { build } from "esbuild";
import { DIST, ENTRIES, NEXT_BUILD_ID, STAMP } from "./bundles.mjs";

if (!existsSync(NEXT_BUILD_ID)) {
  console.error(`build:server: no ${NEXT_BUILD_ID}; run \`npm run build\` (it runs \`next build\` first).`);
  process.exit(1);
}
await build({
  entryPoints: Object.values(ENTRIES),
  bundle: true,
  platform: "node",
  format: "esm",
  packages: "external",
  conditions: ["react-server"],
  outdir: DIST,
  outbase: ".",
  entryNames: "[dir]/[name]",
  outExtension: { ".js": ".mjs" },
  logLevel: "warning",
});
copyFileSync(NEXT_BUILD_ID, STAMP);
