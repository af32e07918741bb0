import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, it } from "node:test";
import { checkout, RecoveryPoint, type CheckoutRequest } from "../lib/orders/checkout.server";
import type { CrashPoint } from "../lib/orders/crash-points";
import { SimulatedCrash } from "@payonce/kit";
import { flushCheckoutEvents } from "../lib/orders/checkout-events.server";
import { db } from "../lib/db/db.server";
import { ALL_ON } from "../lib/demo/protections";
import { demoSession } from "./demo-session";
import { assertChargedOnce, expireLease, newCart, paymentTruth as truth, stopAfter } from "./helpers";

async function request(overrides: Partial<CheckoutRequest["input"]> = {}, protections = ALL_ON): Promise<CheckoutRequest> {
  const { session, policy } = await demoSession(protections);
  const cart = await newCart(session.id);
  return {
    session,
    policy,
    idempotencyKey: randomUUID(),
    input: { cartId: cart.id, email: "a@example.com", paymentMethod: "pm_card_visa", ...overrides },
  };
}

describe("checkout", () => {
  it("creates one order and one PaymentIntent, and replays the result for the same key", async () => {
    const req = await request();
    const first = await checkout(req);
    assert.equal(first.kind, "completed");
    if (first.kind !== "completed") return;
    assert.equal(first.outcome.kind, "paid");
    assert.equal(first.replayed, false);

    const again = await checkout(req);
    assert.equal(again.kind, "completed");
    if (again.kind === "completed") {
      assert.equal(again.replayed, true);
      assert.deepEqual(again.outcome, first.outcome);
    }
    await assertChargedOnce(req.session.id);
  });

  it("a replay writes nothing while the customer waits: its ledger event is written a moment later", async () => {
    const req = await request();
    await checkout(req);
    const replayed = () => db.checkoutEvent.count({ where: { sessionId: req.session.id, kind: "replayed" } });
    await checkout(req);
    assert.equal(await replayed(), 0);
    await flushCheckoutEvents();
    assert.equal(await replayed(), 1);
  });

  it("refuses the same key with other details and writes nothing", async () => {
    const req = await request();
    await checkout(req);
    const [orders, records] = [await db.order.count(), await db.attempt.count()];
    const changed = await checkout({ ...req, input: { ...req.input, email: "b@example.com" } });
    assert.equal(changed.kind, "mismatch");
    assert.equal(await db.order.count(), orders);
    assert.equal(await db.attempt.count(), records);
  });

  it("stores a decline as final (402), replays it, and a new key pays the same order", async () => {
    const req = await request({ paymentMethod: "pm_card_chargeDeclined" });
    const declined = await checkout(req);
    assert.equal(declined.kind === "completed" && declined.outcome.kind, "declined");
    const replay = await checkout(req);
    assert.equal(replay.kind === "completed" && replay.replayed && replay.outcome.kind, "declined");

    const paid = await checkout({ ...req, idempotencyKey: randomUUID(), input: { ...req.input, paymentMethod: "pm_card_visa" } });
    assert.equal(paid.kind === "completed" && paid.outcome.kind, "paid");
    const t = await truth(req.session.id);
    assert.equal(t.orders.length, 1);
    assert.equal(t.intents.length, 1);
    assert.deepEqual(
      t.intents[0]?.charges.map((c) => c.status),
      ["failed", "succeeded"],
    );
  });

  it("gives two keys for one cart (two tabs) one order and one charge", async () => {
    const req = await request();
    const results = await Promise.all([checkout(req), checkout({ ...req, idempotencyKey: randomUUID() })]);
    assert.ok(results.every((r) => r.kind === "completed" || r.kind === "in_progress"));
    await assertChargedOnce(req.session.id);
  });

  it("never takes stock below zero: out of stock is final and charges nothing", async () => {
    const req = await request();
    const product = await db.product.findUniqueOrThrow({ where: { slug: "mug" } });
    await db.product.update({ where: { id: product.id }, data: { stock: 0 } });
    const result = await checkout(req);
    assert.equal(result.kind === "completed" && result.outcome.kind, "out_of_stock");
    assert.equal((await db.product.findUniqueOrThrow({ where: { id: product.id } })).stock, 0);
    assert.equal((await truth(req.session.id)).orders.length, 0);
    await db.product.update({ where: { id: product.id }, data: { stock: product.stock } });
  });

  const crashPoints: CrashPoint[] = [RecoveryPoint.STARTED, RecoveryPoint.ORDER_CREATED, "charge_sent", RecoveryPoint.PAYMENT_CREATED];
  for (const point of crashPoints) {
    it(`resumes after a crash at ${point}: one order, one PaymentIntent, one charge`, async () => {
      const req = await request();
      await assert.rejects(checkout({ ...req, crashAfter: stopAfter(point) }), SimulatedCrash);
      // Until the dead holder's lease runs out, a retry is told to wait.
      assert.equal((await checkout(req)).kind, "in_progress");
      await expireLease(req.session.id, req.idempotencyKey);
      const resumed = await checkout(req);
      assert.equal(resumed.kind === "completed" && resumed.outcome.kind, "paid");
      const events = await db.checkoutEvent.findMany({ where: { sessionId: req.session.id, kind: "resumed" } });
      assert.equal(events.length, 1);
      await assertChargedOnce(req.session.id);
    });
  }

  it("without the derived Stripe key, a crash after the charge charges twice (why layer 4 exists)", async () => {
    const req = await request({}, { ...ALL_ON, stripeKey: false });
    await assert.rejects(checkout({ ...req, crashAfter: stopAfter("charge_sent") }), SimulatedCrash);
    await expireLease(req.session.id, req.idempotencyKey);
    await checkout(req);
    const t = await truth(req.session.id);
    assert.equal(t.orders.length, 1);
    assert.equal(t.intents.length, 2);
    assert.equal(t.succeededCharges, 2);
  });

  it("without layers 2 and 3, the same request twice makes two orders (why they exist)", async () => {
    const req = await request({}, { ...ALL_ON, idempotencyKey: false, businessUniqueness: false });
    await checkout(req);
    await checkout(req);
    const t = await truth(req.session.id);
    assert.equal(t.orders.length, 2);
    assert.equal(t.succeededCharges, 2);
  });
});
