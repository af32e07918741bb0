// Stock is held only while an order can still be paid (lib/orders/stock.server.ts):
// declines, abandoned and late-paid orders, on both paths (cart and API).
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, it } from "node:test";
import Stripe from "stripe";
import { checkout, orderView, type CheckoutInput, type OrderItemInput } from "../lib/orders/checkout.server";
import { db } from "../lib/db/db.server";
import { env } from "../lib/env.server";
import { runJob } from "../lib/worker/jobs.server";
import type { PaymentMethodId } from "../lib/payments/payment-methods";
import { stripe } from "../lib/payments/payments.server";
import { SOLD_OUT_NOTICE, soldOutRefundJob } from "../lib/worker/sold-out-refund.server";
import { releaseExpiredHolds } from "../lib/orders/stock.server";
import { receiveWebhook } from "../lib/webhooks/core.server";
import { stripeWebhooks } from "../lib/webhooks/stripe.server";
import { newCart, newSession, paymentTruth } from "./helpers";
import { stripeFaults } from "./local-stripe-control";

type Session = Awaited<ReturnType<typeof newSession>>;
const stock = async () => (await db.product.findUniqueOrThrow({ where: { slug: "candle" } })).stock;
const afterTheHold = () => new Date(Date.now() + env().stockHoldMs + 1000);

async function pay(session: Session, input: { paymentMethod: PaymentMethodId; cartId?: string; items?: OrderItemInput[] }) {
  const result = await checkout({ session, idempotencyKey: randomUUID(), input: { email: "s@example.com", ...input } as CheckoutInput });
  if (result.kind !== "completed") return assert.fail(`checkout ${result.kind}`);
  return result.outcome.kind;
}

/** A cart of one candle, declined: an order that holds one unit. */
async function declinedOrder() {
  const session = await newSession();
  const cart = await newCart(session.id, { candle: 1 });
  assert.equal(await pay(session, { cartId: cart.id, paymentMethod: "pm_card_chargeDeclined" }), "declined");
  return { session, cart, order: await db.order.findFirstOrThrow({ where: { cartId: cart.id } }) };
}

/** The payment succeeds after all (at Stripe, as a later authentication would), and its webhook arrives. */
async function lateSuccess(paymentIntentId: string) {
  await stripe().paymentIntents.confirm(paymentIntentId, { payment_method: "pm_card_visa", return_url: "http://127.0.0.1:3000/checkout/return" });
  const events = await stripe().events.list({ type: "payment_intent.succeeded", limit: 100 });
  const payload = JSON.stringify(events.data.find((e) => (e.data.object as { id: string }).id === paymentIntentId));
  const signature = new Stripe("sk_test_signer").webhooks.generateTestHeaderString({ payload, secret: env().stripe.webhookSecret });
  assert.equal((await receiveWebhook(stripeWebhooks, payload, new Headers({ "stripe-signature": signature }))).result, "processed");
}

describe("stock comes back", () => {
  it("a decline, then another card on the same cart: the units are taken once", async () => {
    const { session, cart } = await declinedOrder();
    const held = await stock();
    assert.equal(await pay(session, { cartId: cart.id, paymentMethod: "pm_card_visa" }), "paid");
    assert.equal(await stock(), held);
  });

  it("API: a declined order gives its units back at once; the retry with a new key takes them once", async () => {
    const session = await newSession();
    const candle = await db.product.update({ where: { slug: "candle" }, data: { stock: { increment: 1 } } });
    const before = await stock();
    const items = [{ productId: candle.id, quantity: 1 }];
    assert.equal(await pay(session, { items, paymentMethod: "pm_card_chargeDeclined" }), "declined");
    assert.equal(await stock(), before, "the declined API order holds nothing");
    assert.equal(await pay(session, { items, paymentMethod: "pm_card_visa" }), "paid");
    assert.equal(await stock(), before - 1);
  });

  it("3 declined orders left alone give every unit back after the hold window, once", async () => {
    const before = await stock();
    const orders = [await declinedOrder(), await declinedOrder(), await declinedOrder()];
    assert.equal(await stock(), before + 3 - 3, "newCart adds a unit, the order holds it");
    assert.equal(await releaseExpiredHolds(new Date()), 0, "not before the hold window");
    await releaseExpiredHolds(afterTheHold());
    assert.equal(await stock(), before + 3);
    await releaseExpiredHolds(afterTheHold());
    assert.equal(await stock(), before + 3, "released once");
    for (const { order } of orders) assert.ok((await db.order.findUniqueOrThrow({ where: { id: order.id } })).stockReleasedAt);
  });

  it("paying again after the release takes the units again, or says they sold out and charges nothing", async () => {
    const { session, cart, order } = await declinedOrder();
    await releaseExpiredHolds(afterTheHold());
    const released = await stock();
    assert.equal(await pay(session, { cartId: cart.id, paymentMethod: "pm_card_visa" }), "paid");
    assert.equal(await stock(), released - 1);
    assert.equal((await db.order.findUniqueOrThrow({ where: { id: order.id } })).stockReleasedAt, null);

    const soldOut = await declinedOrder();
    await releaseExpiredHolds(afterTheHold());
    await db.product.update({ where: { slug: "candle" }, data: { stock: 0 } });
    assert.equal(await pay(soldOut.session, { cartId: soldOut.cart.id, paymentMethod: "pm_card_visa" }), "out_of_stock");
    assert.equal((await paymentTruth(soldOut.session.id)).succeededCharges, 0);
    assert.equal(await stock(), 0);
  });

  it("a payment that succeeds after the release takes the units again", async () => {
    const { order } = await declinedOrder();
    await releaseExpiredHolds(afterTheHold());
    const released = await stock();
    await lateSuccess(order.paymentIntentId!);
    assert.equal((await db.order.findUniqueOrThrow({ where: { id: order.id } })).status, "paid");
    assert.equal(await stock(), released - 1);
    assert.equal((await db.job.findUnique({ where: { orderId: order.id } }))?.kind, "fulfillment");
  });

  it("a payment that succeeds after the release, sold out by then: refunded in full automatically, and the order says so", async () => {
    const { session, order } = await declinedOrder();
    await releaseExpiredHolds(afterTheHold());
    await db.product.update({ where: { slug: "candle" }, data: { stock: 0 } });
    await lateSuccess(order.paymentIntentId!);
    const job = await db.job.update({
      where: { orderId: order.id },
      data: { state: "running", leaseOwner: "test", lockedUntil: new Date(Date.now() + 60_000), attempts: 1 },
      include: { steps: true },
    });
    assert.equal(job.kind, "sold_out_refund");
    assert.equal(await runJob(soldOutRefundJob, job, "test"), "done");

    const refunded = await db.order.findUniqueOrThrow({ where: { id: order.id } });
    assert.deepEqual([refunded.status, refunded.refundedCents, refunded.notice], ["refunded", order.amountCents, SOLD_OUT_NOTICE]);
    assert.equal((await orderView(db, order.id)).notice, SOLD_OUT_NOTICE, "the API's view says so too");
    assert.equal(await stock(), 0, "never below zero");
    const intent = await stripe().paymentIntents.retrieve(order.paymentIntentId!);
    const charge = await stripe().charges.retrieve(String(intent.latest_charge));
    assert.equal(charge.amount_refunded, order.amountCents);
    assert.equal((await paymentTruth(session.id)).succeededCharges, 1);
  });

  // The refund-in-full's key met Stripe's stored 500 the way the admin's refunds did (chaos seed 7):
  // every retry of the job got the same 500 and the job died, the customer charged for nothing.
  for (const mode of ["500_stored", "500_stored_after_work"] as const) {
    it(`sold out, and the refund in full meets a stored 500 (${mode}): refunded once all the same`, async () => {
      const { order } = await declinedOrder();
      await releaseExpiredHolds(afterTheHold());
      await db.product.update({ where: { slug: "candle" }, data: { stock: 0 } });
      await lateSuccess(order.paymentIntentId!);
      await stripeFaults({ fail: { method: "POST", path: "/v1/refunds", mode, count: 1 } });
      const job = await db.job.update({
        where: { orderId: order.id },
        data: { state: "running", leaseOwner: "test", lockedUntil: new Date(Date.now() + 60_000), attempts: 1 },
        include: { steps: true },
      });
      assert.equal(await runJob(soldOutRefundJob, job, "test"), "done");
      const refunds = await stripe().refunds.list({ payment_intent: order.paymentIntentId!, limit: 10 });
      assert.equal(refunds.data.length, 1);
      assert.equal((await db.order.findUniqueOrThrow({ where: { id: order.id } })).status, "refunded");
    });
  }

  it("chaos seed 579784261: three stored 500s fail one run of the job; the next goes on from the next key generation", async () => {
    const { order } = await declinedOrder();
    await releaseExpiredHolds(afterTheHold());
    await db.product.update({ where: { slug: "candle" }, data: { stock: 0 } });
    await lateSuccess(order.paymentIntentId!);
    await stripeFaults({ fail: { method: "POST", path: "/v1/refunds", mode: "500_stored", count: 3 } });
    const run = (attempts: number) =>
      db.job.update({
        where: { orderId: order.id },
        data: { state: "running", leaseOwner: "test", lockedUntil: new Date(Date.now() + 60_000), attempts },
        include: { steps: true },
      });
    assert.equal(await runJob(soldOutRefundJob, await run(1), "test"), "retry");
    assert.equal(await runJob(soldOutRefundJob, await run(2), "test"), "done");
    const refunds = await stripe().refunds.list({ payment_intent: order.paymentIntentId!, limit: 10 });
    assert.equal(refunds.data.length, 1);
    assert.equal((await db.order.findUniqueOrThrow({ where: { id: order.id } })).status, "refunded");
  });
});
