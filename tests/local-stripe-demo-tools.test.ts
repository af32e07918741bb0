// The local Stripe server started as `npm run dev` and `npm start` start it
// (no test settings): where it sends webhooks by default, and, with the demo
// tools off (DISABLE_DEMO_TOOLS=true), a control API that still reads but
// lets nobody switch faults, webhook endpoints or wipe its state.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { after, before, describe, it } from "node:test";
import { SERVER_NODE_ARGS } from "../scripts/node-args";
import { portBesideStripe } from "./local-stripe-control";
import { until } from "./wait";

const PORT = portBesideStripe(18);
const BASE = `http://127.0.0.1:${PORT}`;

/** A local Stripe server on PORT with these settings (and no webhook URL of a test's own), for one describe block. */
function localStripe(settings: Record<string, string>) {
  const env: NodeJS.ProcessEnv = { ...process.env, LOCAL_STRIPE_PORT: String(PORT), LOCAL_STRIPE_DB: ":memory:", ...settings };
  delete env.LOCAL_STRIPE_WEBHOOK_URL;
  let server: ChildProcess;
  before(async () => {
    server = spawn(process.execPath, [...SERVER_NODE_ARGS, "local-stripe/server.ts"], { env, stdio: "ignore" });
    await until(
      () =>
        fetch(`${BASE}/_control/health`).then(
          (r) => r.ok,
          () => false,
        ),
      "local Stripe to start",
    );
  });
  after(async () => {
    server.kill();
    await once(server, "exit");
  });
}

describe("local Stripe started beside an app on PORT=3456", () => {
  localStripe({ PORT: "3456" });

  it("sends webhooks to that app's endpoint, not to port 3000", async () => {
    const { endpoints } = (await (await fetch(`${BASE}/_control/webhooks`)).json()) as { endpoints: { url: string }[] };
    assert.deepEqual(endpoints, [{ url: "http://127.0.0.1:3456/api/webhooks/stripe" }]);
  });

  it("signs with no secret but its own public one or a test's (whsec_payonce_test_…): a real endpoint's is refused", async () => {
    const register = (secret: string) =>
      fetch(`${BASE}/_control/webhooks`, { method: "POST", body: JSON.stringify({ endpoints: [{ url: "http://127.0.0.1:9/hook", secret }] }) });
    const refused = await register("whsec_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6");
    assert.equal(refused.status, 400);
    assert.match(await refused.text(), /whsec_payonce_local/);
    const { endpoints } = (await (await fetch(`${BASE}/_control/webhooks`)).json()) as { endpoints: { url: string }[] };
    assert.deepEqual(endpoints, [{ url: "http://127.0.0.1:3456/api/webhooks/stripe" }], "left as they were");
    assert.equal((await register("whsec_payonce_local")).status, 200);
    assert.equal((await register("whsec_payonce_test_conformance")).status, 200);
  });
});

describe("local Stripe with DISABLE_DEMO_TOOLS=true", () => {
  localStripe({ DISABLE_DEMO_TOOLS: "true" });

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
