// Payments that finish later (3-D Secure): the checkout answers "go and
// authenticate", the result then comes back through the return page and the
// webhook, in any order and any number of times. One order, one PaymentIntent,
// at most one charge, one fulfillment, whatever arrives.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, it } from "node:test";
import { checkout, type CheckoutRequest } from "../lib/orders/checkout.server";
import { db } from "../lib/db/db.server";
import { ALL_OFF, ALL_ON, type Protections } from "../lib/demo/protections";
import { paidAgainInOrderSession } from "../lib/demo/policy.server";
import { demoSession } from "./demo-session";
import { releaseAbandonedPayments, settleReturn } from "../lib/orders/payment-settlement.server";
import type { PaymentMethodId } from "../lib/payments/payment-methods";
import { newCart, newSession, paymentTruth as truth } from "./helpers";
import { authenticate } from "./local-stripe-control";

const THREE_DS: PaymentMethodId = "pm_card_threeDSecure2Required";

async function request(protections: Protections = ALL_ON, paymentMethod: PaymentMethodId = THREE_DS): Promise<CheckoutRequest> {
  const { session, policy } = await demoSession(protections);
  const cart = await newCart(session.id);
  return { session, policy, idempotencyKey: randomUUID(), input: { cartId: cart.id, email: "a@example.com", paymentMethod } };
}

/** Pays until the bank asks for authentication; returns the page to send the customer to. */
async function payUntilAuthentication(req: CheckoutRequest): Promise<string> {
  const result = await checkout(req);
  assert.equal(result.kind, "completed");
  if (result.kind !== "completed" || result.outcome.kind !== "awaiting_payment" || !result.outcome.nextAction) {
    assert.fail(`expected awaiting_payment with a next action, got ${JSON.stringify(result)}`);
  }
  assert.equal(result.outcome.order.status, "awaiting_payment");
  return result.outcome.nextAction.url;
}

const paymentIntentOf = (back: string) => new URL(back).searchParams.get("payment_intent")!;
const fulfillment = (orderId: string) => db.job.findUnique({ where: { orderId }, select: { state: true, id: true } });

describe("3-D Secure", () => {
  it("answers awaiting_payment with the bank's page; the replay is that same first answer, even once paid", async () => {
    const req = await request();
    const page = await payUntilAuthentication(req);
    const back = await authenticate(page, "complete");
    assert.equal(new URL(back).pathname, "/checkout/return");
    const settled = await settleReturn(paymentIntentOf(back));
    assert.equal(settled?.status, "paid");

    const replay = await checkout(req);
    assert.ok(replay.kind === "completed" && replay.replayed && replay.outcome.kind === "awaiting_payment");
    assert.equal(replay.outcome.nextAction?.url, page);
    const t = await truth(req.session.id);
    assert.equal(t.orders.length, 1);
    assert.equal(t.intents.length, 1);
    assert.equal(t.succeededCharges, 1);
  });

  it("Pay again (a new key, another tab) while authentication is pending goes back to the same page: no second PaymentIntent", async () => {
    const req = await request();
    const page = await payUntilAuthentication(req);
    const again = await payUntilAuthentication({ ...req, idempotencyKey: randomUUID() });
    assert.equal(again, page);
    const t = await truth(req.session.id);
    assert.equal(t.orders.length, 1);
    assert.equal(t.intents.length, 1);
  });

  it("without layers 2 and 3, Pay again while authentication is pending makes a second PaymentIntent (why they exist)", async () => {
    const req = await request(ALL_OFF);
    await payUntilAuthentication(req);
    await payUntilAuthentication({ ...req, idempotencyKey: randomUUID() });
    assert.equal((await truth(req.session.id)).intents.length, 2);
  });

  it("the return reported five times and a webhook: paid once, one fulfillment queued once", async () => {
    const req = await request();
    const back = await authenticate(await payUntilAuthentication(req), "complete");
    // As the return page reports it: with the demo's hook, which does nothing in a session with every layer on.
    const first = await settleReturn(paymentIntentOf(back), paidAgainInOrderSession);
    const job = await fulfillment(first!.orderId);
    await db.job.update({ where: { id: job!.id }, data: { state: "done" } }); // as if the worker ran it
    for (let i = 0; i < 5; i++) assert.equal((await settleReturn(paymentIntentOf(back), paidAgainInOrderSession))?.status, "paid");
    assert.equal((await fulfillment(first!.orderId))?.state, "done", "not queued again");
  });

  it("without layer 3, every report of the success pays the order again: its fulfillment is queued again (why it exists)", async () => {
    const req = await request(ALL_OFF);
    const back = await authenticate(await payUntilAuthentication(req), "complete");
    // As the return page reports it: the hook finds layer 3 off in the order's session.
    const first = await settleReturn(paymentIntentOf(back), paidAgainInOrderSession);
    const job = await fulfillment(first!.orderId);
    await db.job.update({ where: { id: job!.id }, data: { state: "done" } });
    await settleReturn(paymentIntentOf(back), paidAgainInOrderSession);
    assert.equal((await fulfillment(first!.orderId))?.state, "queued", "fulfilled again");
  });

  it("failed authentication: the order waits for another card, which pays the same order and PaymentIntent", async () => {
    const req = await request();
    const back = await authenticate(await payUntilAuthentication(req), "fail");
    const settled = await settleReturn(paymentIntentOf(back));
    assert.equal(settled?.status, "payment_failed");
    const order = await db.order.findUniqueOrThrow({ where: { id: settled!.orderId } });
    assert.match(order.paymentError ?? "", /authentication/i);

    const paid = await checkout({ ...req, idempotencyKey: randomUUID(), input: { ...req.input, paymentMethod: "pm_card_visa" } });
    assert.equal(paid.kind === "completed" && paid.outcome.kind, "paid");
    const t = await truth(req.session.id);
    assert.equal(t.orders.length, 1);
    assert.equal(t.intents.length, 1);
    assert.equal(t.succeededCharges, 1);
  });

  it("authenticated, then declined by the bank: payment_failed with the bank's reason", async () => {
    const req = await request(ALL_ON, "pm_card_authenticationRequiredChargeDeclinedInsufficientFunds");
    const back = await authenticate(await payUntilAuthentication(req), "complete");
    const settled = await settleReturn(paymentIntentOf(back));
    assert.equal(settled?.status, "payment_failed");
    assert.match((await db.order.findUniqueOrThrow({ where: { id: settled!.orderId } })).paymentError ?? "", /insufficient funds/i);
  });

  it("abandoned: past the hold window the units go back and the PaymentIntent is canceled; paying later starts a new one", async () => {
    // A product of its own: the sweep also settles other tests' leftover orders (a payment that
    // succeeded late takes its units again), and only this order may move this product's stock.
    const product = await db.product.create({
      data: { slug: `abandoned-${randomUUID()}`, name: "Abandoned", description: "", priceCents: 1200, currency: "usd", image: "", stock: 0 },
    });
    const session = await newSession();
    const cart = await newCart(session.id, { [product.slug]: 2 });
    const req: CheckoutRequest = { session, idempotencyKey: randomUUID(), input: { cartId: cart.id, email: "a@example.com", paymentMethod: THREE_DS } };
    const page = await payUntilAuthentication(req);
    const order = await db.order.findFirstOrThrow({ where: { sessionId: req.session.id }, include: { items: true } });
    const stockBefore = (await db.product.findUniqueOrThrow({ where: { id: order.items[0]!.productId } })).stock;
    assert.equal(stockBefore, 0, "the order holds both units");

    // The sweep, run as if the hold window were over (and run twice: a re-run changes nothing).
    const later = new Date(Date.now() + 24 * 3600_000);
    await releaseAbandonedPayments(later);
    await releaseAbandonedPayments(later);
    const released = await db.order.findUniqueOrThrow({ where: { id: order.id } });
    assert.equal(released.status, "payment_failed");
    // Its units went back, once (the second sweep gave nothing more).
    assert.equal((await db.product.findUniqueOrThrow({ where: { id: product.id } })).stock, 2);
    assert.equal(released.stockReleasedAt?.getTime(), later.getTime());
    let t = await truth(req.session.id);
    assert.deepEqual(
      t.intents.map((pi) => pi.status),
      ["canceled"],
    );
    // The customer comes back from the bank's page too late: nothing to authenticate.
    await assert.rejects(authenticate(page, "complete"), /409/);

    const paid = await checkout({ ...req, idempotencyKey: randomUUID(), input: { ...req.input, paymentMethod: "pm_card_visa" } });
    assert.equal(paid.kind === "completed" && paid.outcome.kind, "paid");
    t = await truth(req.session.id);
    assert.equal(t.orders.length, 1);
    assert.equal(t.succeededCharges, 1);
    assert.deepEqual(t.intents.map((pi) => pi.status).sort(), ["canceled", "succeeded"]);
  });
});
