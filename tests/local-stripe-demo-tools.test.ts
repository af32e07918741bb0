// The local Stripe server with the demo tools off (DISABLE_DEMO_TOOLS=true):
// its control API still reads, but nobody can switch faults, webhook
// endpoints or wipe its state.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { SERVER_NODE_ARGS } from "../scripts/node-args";

const PORT = 12131;
const BASE = `http://127.0.0.1:${PORT}`;

describe("local Stripe with DISABLE_DEMO_TOOLS=true", () => {
  const server = spawn(process.execPath, [...SERVER_NODE_ARGS, "local-stripe/server.ts"], {
    env: { ...process.env, LOCAL_STRIPE_PORT: String(PORT), LOCAL_STRIPE_DB: ":memory:", DISABLE_DEMO_TOOLS: "true" },
    stdio: "ignore",
  });
  before(async () => {
    for (let i = 0; i < 100; i++) {
      if (
        await fetch(`${BASE}/_control/health`).then(
          (r) => r.ok,
          () => false,
        )
      )
        return;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail("local Stripe did not start");
  });
  after(() => server.kill());

  it("refuses every control write with 403, and still answers reads", async () => {
    for (const [path, body] of [
      ["/_control/faults", { latencyMs: 1000 }],
      ["/_control/webhooks", { endpoints: [] }],
      ["/_control/reset", {}],
      ["/_control/idempotency/age", { account: "sk_test_x", key: "k", hours: 25 }],
    ] as const) {
      const response = await fetch(`${BASE}${path}`, { method: "POST", body: JSON.stringify(body) });
      assert.equal(response.status, 403, path);
    }
    assert.deepEqual(await (await fetch(`${BASE}/_control/faults`)).json(), {
      latencyMs: 0,
      webhooks: { duplicates: 0, delayMs: 0, shuffle: false },
      failures: [],
    });
  });
});
