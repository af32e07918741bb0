// `npm start`: the bundled supervisor (scripts/supervise.ts, `start`), once
// dist/ holds bundles of the current Next build; otherwise a sentence saying to
// run `npm run build`, instead of Node's bare ERR_MODULE_NOT_FOUND or, worse,
// an old worker and local Stripe server beside a new app.
//
//   node --conditions=react-server scripts/start.mjs
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { bundlePath, bundlesProblem, ENTRIES } from "./bundles.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const problem = bundlesProblem(root);
if (problem) {
  console.error(problem);
  process.exit(1);
}
process.argv[2] = "start"; // what the supervisor runs (its command line in `npm run dev`: `supervise.ts dev`)
await import(pathToFileURL(path.join(root, bundlePath(ENTRIES.supervise))).href);
