// What `npm run dev` and `npm start` run (scripts/app-processes.ts): the local
// Stripe server in local mode only, and `npm start` nothing that needs a
// devDependency (tsx), since it runs after `npm prune --omit=dev`.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { appProcesses } from "../scripts/app-processes";

const names = (kind: "dev" | "start", mode: "local" | "stripe") => appProcesses(kind, mode).map((p) => p.name);

describe("the app's processes", () => {
  it("local mode: the local Stripe server, the web server and the worker", () => {
    assert.deepEqual(names("dev", "local"), ["stripe", "web", "worker"]);
    assert.deepEqual(names("start", "local"), ["stripe", "web", "worker"]);
  });

  it("with a STRIPE_SECRET_KEY: no local Stripe server, in dev or start", () => {
    assert.deepEqual(names("dev", "stripe"), ["web", "worker"]);
    assert.deepEqual(names("start", "stripe"), ["web", "worker"]);
  });

  it("npm start runs bundles and next with plain node: no tsx", () => {
    for (const { args } of appProcesses("start", "local")) assert.ok(!args.some((a) => a.includes("tsx")), args.join(" "));
  });
});
