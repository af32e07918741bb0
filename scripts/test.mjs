// `npm test`: every suite, one after another, each timed. A run that fails
// says which suite failed and how long each took, so a slow or failing CI
// leg explains itself from its log; the suites themselves are the npm
// scripts named below (each can be run alone: `npm run test:unit`…).
import { spawnSync } from "node:child_process";

const SUITES = ["setup", "test:static", "test:unit", "test:example", "test:e2e", "test:chaos"];

const took = (ms) => {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
};

const times = [];
let failed = null;
for (const suite of SUITES) {
  console.log(`\n=== npm run ${suite}`);
  const started = Date.now();
  const { status, signal } = spawnSync("npm", ["run", suite], { stdio: "inherit" });
  times.push([suite, Date.now() - started, status === 0]);
  if (status !== 0) {
    failed = `${suite} (${signal ? `signal ${signal}` : `exit ${status}`})`;
    break;
  }
}

console.log("\n=== npm test, suite by suite");
for (const [suite, ms, passed] of times) console.log(`${passed ? "passed" : "FAILED"}  ${took(ms).padStart(12)}  ${suite}`);
console.log(`total ${took(times.reduce((sum, [, ms]) => sum + ms, 0))}${failed ? `; failed in ${failed}` : ""}`);
process.exit(failed ? 1 : 0);
