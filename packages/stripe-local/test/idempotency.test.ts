// A key is replayed only for the request it was first used with: the
// fingerprint is of the method, the path and the parameters, whatever order
// the parameters came in (form bodies and SDKs write them in any order).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { IdempotencyStore, requestFingerprint } from "../src/idempotency.ts";

describe("local Stripe: request fingerprints", () => {
  const params = { amount: "2000", currency: "usd", metadata: { order_id: "o1", cart: "c1" }, payment_method_types: ["card", "link"] };

  it("the same parameters in any key order, at any depth, are the same request", () => {
    const reordered = { payment_method_types: ["card", "link"], metadata: { cart: "c1", order_id: "o1" }, currency: "usd", amount: "2000" };
    assert.equal(requestFingerprint("POST", "/v1/payment_intents", params), requestFingerprint("POST", "/v1/payment_intents", reordered));
  });

  it("another value, another list order, another path or method is another request", () => {
    const fingerprint = requestFingerprint("POST", "/v1/payment_intents", params);
    for (const [method, path, other] of [
      ["POST", "/v1/payment_intents", { ...params, amount: "2001" }],
      ["POST", "/v1/payment_intents", { ...params, payment_method_types: ["link", "card"] }],
      ["POST", "/v1/customers", params],
      ["GET", "/v1/payment_intents", params],
    ] as const) {
      assert.notEqual(requestFingerprint(method, path, other), fingerprint, `${method} ${path} ${JSON.stringify(other)}`);
    }
  });

  it("a key's first answer is replayed for the same request, refused for another", () => {
    const keys = new IdempotencyStore();
    const first = keys.lookup("k", requestFingerprint("POST", "/v1/customers", { email: "a@example.com", name: "A" }));
    assert.equal(first.kind, "new");
    if (first.kind === "new") first.complete(200, { id: "cus_1" });
    assert.deepEqual(keys.lookup("k", requestFingerprint("POST", "/v1/customers", { name: "A", email: "a@example.com" })), {
      kind: "replay",
      status: 200,
      body: { id: "cus_1" },
    });
    assert.equal(keys.lookup("k", requestFingerprint("POST", "/v1/customers", { email: "b@example.com", name: "A" })).kind, "mismatch");
  });
});
