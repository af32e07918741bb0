// The checkout against a failing payment side (the local Stripe server's faults).
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { afterEach, describe, it } from "node:test";
import { checkout, type CheckoutRequest } from "../lib/orders/checkout.server";
import { db } from "../lib/db/db.server";
import { completeAbandoned } from "../lib/worker/maintenance.server";
import { ALL_ON, type Protections } from "../lib/demo/protections";
import { demoSession } from "./demo-session";
import { assertChargedOnce, newCart, paymentTruth, STRIPE } from "./helpers";
import { stripeFaults } from "./local-stripe-control";
import type { FaultsRequest } from "@payonce/stripe-local/faults";

async function request(protections: Protections = ALL_ON): Promise<CheckoutRequest> {
  const { session, policy } = await demoSession(protections);
  const cart = await newCart(session.id);
  return {
    session,
    policy,
    idempotencyKey: randomUUID(),
    input: { cartId: cart.id, email: "f@example.com", paymentMethod: "pm_card_visa" },
  };
}

describe("checkout when Stripe fails", () => {
  afterEach(() => fetch(`${STRIPE}/_control/reset`, { method: "POST" }));

  // The charge is made, then every answer is lost: the SDK's own retries (same
  // key) are dropped too, so the app gives up; later the network is back and
  // the app retries the attempt itself.
  const commitThenDropEverything: FaultsRequest = { fail: { method: "POST", path: "/v1/payment_intents", mode: "commit_then_drop", count: 100 } };
  const networkBack = { clearFailures: true };

  it("commit then drop, SDK retries, app retry → exactly one charge", async () => {
    const req = await request();
    await stripeFaults(commitThenDropEverything);
    const first = await checkout(req);
    // The connection dropped every time: unreachable, 503.
    assert.equal(first.kind === "unavailable" && first.httpStatus, 503);
    await stripeFaults(networkBack);
    const retry = await checkout(req);
    assert.equal(retry.kind === "completed" && retry.outcome.kind, "paid");
    await assertChargedOnce(req.session.id);
  });

  it("the same story without the derived Stripe key charges twice", async () => {
    const req = await request({ ...ALL_ON, stripeKey: false });
    await stripeFaults(commitThenDropEverything);
    assert.equal((await checkout(req)).kind, "unavailable");
    await stripeFaults(networkBack);
    await checkout(req);
    assert.equal((await paymentTruth(req.session.id)).succeededCharges, 2);
  });

  it("500s on every try: the order stays payable, and a later retry charges once", async () => {
    const req = await request();
    await stripeFaults({ fail: { path: "/v1/payment_intents", mode: "500", count: 1000 } });
    const failed = await checkout(req);
    assert.equal(failed.kind, "unavailable");
    assert.equal(failed.kind === "unavailable" && failed.httpStatus, 502);
    const record = await db.attempt.findUniqueOrThrow({ where: { scope_key: { scope: req.session.id, key: req.idempotencyKey } } });
    assert.equal(record.recoveryPoint, "order_created");
    assert.equal(record.outcome, null);
    assert.match(record.lastError ?? "", /500/);
    const [order] = (await paymentTruth(req.session.id)).orders;
    assert.equal(order?.status, "awaiting_payment");

    await stripeFaults(networkBack);
    const retry = await checkout(req);
    assert.equal(retry.kind === "completed" && retry.outcome.kind, "paid");
    await assertChargedOnce(req.session.id);
  });

  // Stripe stores a 500 once the request has started and replays it for 24 h
  // under the same key: the derived key alone would keep the order unpayable.
  const storedCreate500 = (mode: "500_stored" | "500_stored_after_work"): FaultsRequest => ({
    fail: { method: "POST", path: "/v1/payment_intents", mode, count: 1 },
  });

  /** The checkout as a client runs it: one retry with the same key if the first answer is not final. */
  async function checkoutWithOneRetry(req: CheckoutRequest) {
    const first = await checkout(req);
    return first.kind === "completed" ? first : checkout(req);
  }

  it("a stored 500 before any work: no PaymentIntent exists, so the next key generation pays, once", async () => {
    const req = await request();
    await stripeFaults(storedCreate500("500_stored"));
    const result = await checkoutWithOneRetry(req);
    assert.equal(result.kind === "completed" && result.outcome.kind, "paid");
    await assertChargedOnce(req.session.id);
    const [order] = (await paymentTruth(req.session.id)).orders;
    assert.equal(order?.paymentKeyGeneration, 1);
  });

  it("a stored 500 after the charge was made: that PaymentIntent is adopted, not charged again", async () => {
    const req = await request();
    await stripeFaults(storedCreate500("500_stored_after_work"));
    const result = await checkoutWithOneRetry(req);
    assert.equal(result.kind === "completed" && result.outcome.kind, "paid");
    await assertChargedOnce(req.session.id);
    const [order] = (await paymentTruth(req.session.id)).orders;
    assert.equal(order?.paymentKeyGeneration, 0);
  });

  // The refunds' story of chaos seed 579784261, at the checkout: three stored 500s used up the
  // generations one run may try, and every retry started again at the first, replaying them.
  it("three stored 500s in a row: the retry goes on from the next key generation and pays, once", async () => {
    const req = await request();
    await stripeFaults({ fail: { method: "POST", path: "/v1/payment_intents", mode: "500_stored", count: 3 } });
    assert.equal((await checkout(req)).kind, "unavailable");
    const retry = await checkout(req);
    assert.equal(retry.kind === "completed" && retry.outcome.kind, "paid");
    await assertChargedOnce(req.session.id);
    const [order] = (await paymentTruth(req.session.id)).orders;
    assert.equal(order?.paymentKeyGeneration, 3);
  });

  it("the same story without the derived Stripe key charges twice", async () => {
    const req = await request({ ...ALL_ON, stripeKey: false });
    await stripeFaults(storedCreate500("500_stored_after_work"));
    await checkoutWithOneRetry(req);
    assert.equal((await paymentTruth(req.session.id)).succeededCharges, 2);
  });

  it("a stored 500 while Stripe cannot be read either: the completer alone pays the order once Stripe answers", async () => {
    const req = await request();
    await stripeFaults(storedCreate500("500_stored"));
    await stripeFaults({ fail: { method: "GET", path: "/v1/payment_intents", mode: "500", count: 1000 } });
    const failed = await checkout(req);
    assert.equal(failed.kind === "unavailable" && failed.httpStatus, 502);

    await stripeFaults(networkBack);
    await completeAbandoned();
    await assertChargedOnce(req.session.id);
  });
});
