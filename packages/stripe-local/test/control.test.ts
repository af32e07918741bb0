// The control API's limits: it signs with no secret but its own public one or
// a test's (a real endpoint's secret would let anyone who reaches it make
// events the app takes for Stripe's), and started read-only it still reads
// but lets nobody switch faults, webhook endpoints or wipe its state.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { start, type StartOptions, type StartedServer } from "../src/index.ts";

/** A server with these options for one describe block; its URL once started. */
function server(options: StartOptions): () => string {
  let started: StartedServer;
  before(async () => {
    started = await start({ port: 0, log: () => {}, ...options });
  });
  after(() => started.close());
  return () => started.url;
}

const endpointsOf = async (base: string) => ((await (await fetch(`${base}/_control/webhooks`)).json()) as { endpoints: { url: string }[] }).endpoints;

describe("local Stripe started with a webhook URL", () => {
  const base = server({ webhookUrl: "http://127.0.0.1:3456/api/webhooks/stripe" });

  it("sends webhooks there", async () => {
    assert.deepEqual(await endpointsOf(base()), [{ url: "http://127.0.0.1:3456/api/webhooks/stripe" }]);
  });

  it("signs with no secret but its own public one or a test's (whsec_payonce_test_…): a real endpoint's is refused", async () => {
    const register = (secret: string) =>
      fetch(`${base()}/_control/webhooks`, { method: "POST", body: JSON.stringify({ endpoints: [{ url: "http://127.0.0.1:9/hook", secret }] }) });
    const refused = await register("whsec_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6");
    assert.equal(refused.status, 400);
    assert.match(await refused.text(), /whsec_payonce_local/);
    assert.deepEqual(await endpointsOf(base()), [{ url: "http://127.0.0.1:3456/api/webhooks/stripe" }], "left as they were");
    assert.equal((await register("whsec_payonce_local")).status, 200);
    assert.equal((await register("whsec_payonce_test_conformance")).status, 200);
  });

  it("a reset puts back the endpoint it started with", async () => {
    assert.equal((await fetch(`${base()}/_control/reset`, { method: "POST" })).status, 200);
    assert.deepEqual(await endpointsOf(base()), [{ url: "http://127.0.0.1:3456/api/webhooks/stripe" }]);
  });
});

describe("local Stripe with a read-only control API", () => {
  const base = server({ controlWrites: false });

  it("refuses every control write with 403, and still answers reads", async () => {
    for (const [path, body] of [
      ["/_control/faults", { latencyMs: 1000 }],
      ["/_control/webhooks", { endpoints: [] }],
      ["/_control/reset", {}],
      ["/_control/idempotency/age", { account: "sk_test_x", key: "k", hours: 25 }],
    ] as const) {
      const response = await fetch(`${base()}${path}`, { method: "POST", body: JSON.stringify(body) });
      assert.equal(response.status, 403, path);
    }
    assert.deepEqual(await (await fetch(`${base()}/_control/faults`)).json(), {
      latencyMs: 0,
      webhooks: { duplicates: 0, delayMs: 0, shuffle: false },
      failures: [],
    });
  });
});
