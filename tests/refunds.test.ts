// Refunds from the admin: one Stripe refund per refund asked, however often
// it is sent, and never more refunded than was paid, even by two admins at once.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, it } from "node:test";
import { checkout } from "../lib/orders/checkout.server";
import { db } from "../lib/db/db.server";
import { ALL_OFF, ALL_ON, type Protections } from "../lib/demo/protections";
import { demoSession } from "./demo-session";
import { expireLease, newCart, newSession } from "./helpers";
import { stripe } from "../lib/payments/payments.server";
import { refundOrder } from "../lib/orders/refunds.server";
import { RefusedInput } from "@payonce/kit";
import { completeAbandoned } from "../lib/worker/maintenance.server";
import { stripeFaults } from "./local-stripe-control";
import type { FailureMode } from "@payonce/stripe-local/faults";

/** A paid order (of two mugs), and an admin session with these protections, and the policy they make. */
async function paidOrder(admin: Protections = ALL_ON) {
  const customer = await newSession();
  const cart = await newCart(customer.id, { mug: 2 });
  const result = await checkout({
    session: customer,
    idempotencyKey: randomUUID(),
    input: { cartId: cart.id, email: "c@example.com", paymentMethod: "pm_card_visa" },
  });
  assert.equal(result.kind === "completed" && result.outcome.kind, "paid");
  const order = await db.order.findFirstOrThrow({ where: { sessionId: customer.id } });
  const { session, policy } = await demoSession(admin);
  return { order, admin: session, policy };
}

const stripeRefunds = async (paymentIntentId: string) => (await stripe().refunds.list({ payment_intent: paymentIntentId, limit: 100 })).data;

describe("refunds", () => {
  it("the same refund sent twice at once (a double click) makes one Stripe refund; the replay answers the same", async () => {
    const { order, admin } = await paidOrder();
    const key = randomUUID();
    const fields = { orderId: order.id, amountCents: 500 };
    const [a, b] = await Promise.all([refundOrder(admin, key, fields), refundOrder(admin, key, fields)]);
    const done = [a, b].filter((r) => r.kind === "completed");
    assert.ok(done.length >= 1, "one of them finished");
    const replay = await refundOrder(admin, key, fields);
    assert.equal(replay.kind, "completed");
    assert.equal(replay.kind === "completed" && replay.outcome.kind, "refunded");
    assert.equal((await stripeRefunds(order.paymentIntentId!)).length, 1);
    assert.equal(await db.refund.count({ where: { orderId: order.id } }), 1);
  });

  it("unprotected (no attempt key, no derived Stripe key): the double click refunds twice", async () => {
    const { order, admin, policy } = await paidOrder(ALL_OFF);
    const fields = { orderId: order.id, amountCents: 500 };
    const key = randomUUID();
    await Promise.all([refundOrder(admin, key, fields, policy), refundOrder(admin, key, fields, policy)]);
    assert.equal((await stripeRefunds(order.paymentIntentId!)).length, 2);
  });

  it("two admins refunding most of it at once: one refund, the other refused, never more than was paid", async () => {
    const { order, admin } = await paidOrder();
    const other = await newSession();
    const amountCents = Math.ceil(order.amountCents * 0.6);
    const results = await Promise.allSettled([
      refundOrder(admin, randomUUID(), { orderId: order.id, amountCents }),
      refundOrder(other, randomUUID(), { orderId: order.id, amountCents }),
    ]);
    const refunded = results.filter((r) => r.status === "fulfilled" && r.value.kind === "completed" && r.value.outcome.kind === "refunded");
    const refused = results.filter(
      (r) =>
        (r.status === "rejected" && r.reason instanceof RefusedInput) ||
        (r.status === "fulfilled" && r.value.kind === "completed" && r.value.outcome.kind === "over_limit"),
    );
    assert.equal(refunded.length, 1);
    assert.equal(refused.length, 1);
    const after = await db.order.findUniqueOrThrow({ where: { id: order.id } });
    assert.equal(after.refundReservedCents, amountCents);
    assert.equal(await db.refund.count({ where: { orderId: order.id } }), 1);
  });

  it("unprotected (no business limit): both admins' refunds are recorded as reserved, more than was paid (Stripe then refuses one)", async () => {
    const { order, admin, policy } = await paidOrder(ALL_OFF);
    const { session: other } = await demoSession(ALL_OFF);
    const amountCents = Math.ceil(order.amountCents * 0.6);
    await Promise.allSettled([
      refundOrder(admin, randomUUID(), { orderId: order.id, amountCents }, policy),
      refundOrder(other, randomUUID(), { orderId: order.id, amountCents }, policy),
    ]);
    assert.equal(await db.refund.count({ where: { orderId: order.id } }), 2);
    assert.equal(await db.refund.count({ where: { orderId: order.id, status: "failed" } }), 1);
  });

  it("a refund above what is left is refused before anything is written (the key stays unused)", async () => {
    const { order, admin } = await paidOrder();
    const key = randomUUID();
    await assert.rejects(refundOrder(admin, key, { orderId: order.id, amountCents: order.amountCents + 1 }), RefusedInput);
    assert.equal(await db.attempt.count({ where: { scope: admin.id } }), 0);
    assert.equal(await db.refund.count({ where: { orderId: order.id } }), 0);
    // The same key then asks for a right amount: a new attempt, which refunds.
    const ok = await refundOrder(admin, key, { orderId: order.id, amountCents: order.amountCents });
    assert.equal(ok.kind === "completed" && ok.outcome.kind, "refunded");
    const replay = await refundOrder(admin, key, { orderId: order.id, amountCents: order.amountCents });
    assert.equal(replay.kind === "completed" && replay.replayed, true, "a full refund replays, though nothing is left");
    assert.equal((await db.order.findUniqueOrThrow({ where: { id: order.id } })).status, "refunded");
  });

  it("Stripe down after the refund was recorded: retryable, and the completer makes it once later", async () => {
    const { order, admin } = await paidOrder();
    const key = randomUUID();
    const fields = { orderId: order.id, amountCents: 300 };
    // Every try fails: the SDK's own retries, and each key generation's.
    await stripeFaults({ fail: { method: "POST", path: "/v1/refunds", mode: "500", count: 1000 } });
    try {
      const first = await refundOrder(admin, key, fields);
      assert.equal(first.kind, "retryable");
    } finally {
      await stripeFaults({ clearFailures: true });
    }
    await expireLease(admin.id, key);
    await completeAbandoned();
    const refund = await db.refund.findFirstOrThrow({ where: { orderId: order.id } });
    assert.equal(refund.status, "succeeded");
    assert.equal((await stripeRefunds(order.paymentIntentId!)).length, 1);
  });

  // Found by `npm run chaos -- --seed 7`: Stripe stores a 500 and replays it
  // under the same key for 24 h, so a refund hit by one stayed pending forever
  // (its amount reserved), however often it was retried or completed.
  const STORED_500S: Partial<Record<FailureMode, string>> = {
    "500_stored": "before any work: nothing was refunded, so the next key generation refunds, once",
    "500_stored_after_work": "after the refund was made: that refund is adopted, not made again",
  };
  for (const [mode, story] of Object.entries(STORED_500S) as [FailureMode, string][]) {
    it(`chaos seed 7: a stored 500 ${story}`, async () => {
      const { order, admin } = await paidOrder();
      const key = randomUUID();
      const fields = { orderId: order.id, amountCents: 500 };
      await stripeFaults({ fail: { method: "POST", path: "/v1/refunds", mode, count: 1 } });
      const first = await refundOrder(admin, key, fields);
      const result = first.kind === "completed" ? first : await refundOrder(admin, key, fields);
      assert.equal(result.kind === "completed" && result.outcome.kind, "refunded");
      assert.equal((await stripeRefunds(order.paymentIntentId!)).length, 1);
      assert.equal((await db.order.findUniqueOrThrow({ where: { id: order.id } })).refundedCents, 500);
    });
  }

  // Found by `npm run chaos -- --seed 579784261`: three stored 500s in a row used up every key
  // generation one run may try, and each later run started again at the first, replaying them.
  it("chaos seed 579784261: after three stored 500s the next run goes on from the next key generation, and refunds once", async () => {
    const { order, admin } = await paidOrder();
    const key = randomUUID();
    const fields = { orderId: order.id, amountCents: 500 };
    await stripeFaults({ fail: { method: "POST", path: "/v1/refunds", mode: "500_stored", count: 3 } });
    assert.equal((await refundOrder(admin, key, fields)).kind, "retryable");
    const retry = await refundOrder(admin, key, fields);
    assert.equal(retry.kind === "completed" && retry.outcome.kind, "refunded");
    assert.equal((await stripeRefunds(order.paymentIntentId!)).length, 1);
    assert.equal((await db.refund.findFirstOrThrow({ where: { orderId: order.id } })).keyGeneration, 3);
  });
});
