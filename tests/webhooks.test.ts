// Webhooks delivered 1 to 5 times each, shuffled, with forged and stale ones
// mixed in, posted directly and through the local Stripe server's delivery:
// the final states must be exact. Without the event-id dedupe, they are not.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import { after, before, describe, it } from "node:test";
import Stripe from "stripe";
import { checkout } from "../lib/orders/checkout.server";
import { db } from "../lib/db/db.server";
import { env } from "../lib/env.server";
import { stripe } from "../lib/payments/payments.server";
import { receiveWebhook, type WebhookOptions } from "../lib/webhooks/core.server";
import { stripeWebhooks } from "../lib/webhooks/stripe.server";
import { newCart, newSession, STRIPE } from "./helpers";
import { until } from "./wait";

const signer = new Stripe("sk_test_signer");
const sign = (payload: string, secret = env().stripe.webhookSecret, timestamp?: number) =>
  signer.webhooks.generateTestHeaderString({ payload, secret, ...(timestamp && { timestamp }) });
const post = (payload: string, signature: string | null, options?: WebhookOptions) =>
  receiveWebhook(stripeWebhooks, payload, new Headers(signature === null ? {} : { "stripe-signature": signature }), options);

type Story = { orderId: string; expect: { status: string; failedPayments: number; refundedCents?: number } };

/** Four orders whose events cover the handled types: paid, declined then paid, refunded, declined. */
async function stories(): Promise<Story[]> {
  const session = await newSession();
  const pay = async (paymentMethod: "pm_card_visa" | "pm_card_chargeDeclined", cartId?: string) => {
    const cart = cartId ?? (await newCart(session.id)).id;
    const result = await checkout({ session, idempotencyKey: randomUUID(), input: { cartId: cart, email: "w@example.com", paymentMethod } });
    assert.equal(result.kind, "completed");
    const body = result.kind === "completed" && "order" in result.outcome ? result.outcome : assert.fail(`checkout ${result.kind}`);
    return { cart, order: body.order };
  };
  const paid = await pay("pm_card_visa");
  const declined = await pay("pm_card_chargeDeclined");
  await pay("pm_card_visa", declined.cart);
  const refunded = await pay("pm_card_visa");
  await stripe().refunds.create({ payment_intent: refunded.order.paymentIntentId! });
  const failed = await pay("pm_card_chargeDeclined");
  return [
    { orderId: paid.order.id, expect: { status: "paid", failedPayments: 0 } },
    { orderId: declined.order.id, expect: { status: "paid", failedPayments: 1 } },
    { orderId: refunded.order.id, expect: { status: "refunded", failedPayments: 0, refundedCents: refunded.order.amountCents } },
    { orderId: failed.order.id, expect: { status: "payment_failed", failedPayments: 1 } },
  ];
}

/** Every event Stripe holds about these orders, as the JSON it would send. */
async function eventsOf(orderIds: string[]): Promise<string[]> {
  const orders = await db.order.findMany({ where: { id: { in: orderIds } } });
  const intents = new Set(orders.map((o) => o.paymentIntentId));
  const events = await stripe().events.list({ limit: 100 });
  return events.data
    .filter((e) => {
      const object = e.data.object as { id: string; payment_intent?: string };
      return intents.has(object.id) || intents.has(object.payment_intent ?? "");
    })
    .map((e) => JSON.stringify(e));
}

/** The event Stripe holds of this type about this object. */
async function eventAbout(objectId: string, type: string): Promise<string> {
  const events = await stripe().events.list({ type, limit: 100 });
  const event = events.data.find((e) => (e.data.object as { id: string }).id === objectId);
  assert.ok(event, `no ${type} event for ${objectId}`);
  return JSON.stringify(event);
}

async function finalStates(list: Story[]) {
  const orders = await db.order.findMany({ where: { id: { in: list.map((s) => s.orderId) } } });
  return list.map((s) => {
    const o = orders.find((x) => x.id === s.orderId)!;
    return { status: o.status, failedPayments: o.failedPayments, ...(s.expect.refundedCents !== undefined && { refundedCents: o.refundedCents }) };
  });
}

function shuffled<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * Each event 1 to 5 times, shuffled, plus a forged and a stale copy of each.
 * Declines come at least twice: their counter is what a missing dedupe doubles.
 */
async function deliverAll(events: string[], options?: WebhookOptions) {
  const copies = (e: string, i: number) => (e.includes('"payment_intent.payment_failed"') ? 2 + (i % 4) : 1 + (i % 5));
  const deliveries = shuffled(events.flatMap((e, i) => Array.from({ length: copies(e, i) }, () => e)));
  const rejected = events.flatMap((e) => [sign(e, "whsec_forged"), sign(e, undefined, Math.floor(Date.now() / 1000) - 600)].map((sig) => [e, sig] as const));
  const before = await db.webhookEvent.count();
  for (const [payload, signature] of rejected) assert.equal((await post(payload, signature, options)).status, 400);
  assert.equal((await post(events[0]!, null, options)).status, 400);
  assert.equal(await db.webhookEvent.count(), before, "a rejected delivery writes nothing");
  const outcomes = await Promise.all(deliveries.map((e) => post(e, sign(e), options)));
  assert.ok(outcomes.every((o) => o.status === 200));
  return outcomes;
}

describe("webhooks", () => {
  it("posted directly, 1-5 times each and shuffled: exact final states, each event applied once", async () => {
    const list = await stories();
    const events = await eventsOf(list.map((s) => s.orderId));
    const outcomes = await deliverAll(events);
    assert.deepEqual(
      await finalStates(list),
      list.map((s) => s.expect),
    );
    assert.equal(outcomes.filter((o) => o.status === 200 && o.result === "processed").length, events.length);
    const rows = await db.webhookEvent.findMany({ where: { eventId: { in: events.map((e) => (JSON.parse(e) as { id: string }).id) } } });
    assert.ok(rows.every((r) => r.processedAt !== null));
    assert.equal(
      rows.reduce((n, r) => n + r.deliveries, 0),
      outcomes.length,
    );
  });

  it("without the event-id dedupe, the same deliveries double-count (why it exists)", async () => {
    const list = await stories();
    await deliverAll(await eventsOf(list.map((s) => s.orderId)), { dedupe: false });
    const failed = (await finalStates(list))[3]!;
    assert.ok(failed.failedPayments > 1, `failedPayments ${failed.failedPayments}`);
  });

  it("an event ahead of its order is refused (500, unprocessed) and applied on redelivery", async () => {
    const session = await newSession();
    const cart = await newCart(session.id);
    const orderId = `ord_${randomUUID()}`;
    // A real decline at Stripe for an order our database has not committed yet.
    const declined = await stripe()
      .paymentIntents.create({
        amount: 1800,
        currency: "usd",
        payment_method: "pm_card_chargeDeclined",
        automatic_payment_methods: { enabled: true, allow_redirects: "never" },
        confirm: true,
        metadata: { order_id: orderId },
      })
      .catch((error: { payment_intent?: { id: string } }) => error.payment_intent!);
    const event = await eventAbout(declined.id, "payment_intent.payment_failed");
    const early = await post(event, sign(event));
    assert.equal(early.status, 500);
    const row = await db.webhookEvent.findFirstOrThrow({ where: { eventId: (JSON.parse(event) as { id: string }).id } });
    assert.equal(row.processedAt, null);
    await db.order.create({
      data: { id: orderId, sessionId: session.id, cartId: cart.id, checkoutKey: cart.id, email: "e@example.com", amountCents: 1800, currency: "usd" },
    });
    assert.deepEqual(await post(event, sign(event)), { status: 200, result: "processed" });
    const order = await db.order.findUniqueOrThrow({ where: { id: orderId } });
    assert.equal(order.status, "payment_failed");
    assert.equal(order.failedPayments, 1);
  });

  describe("events are notifications, not facts", () => {
    /** An order waiting for its payment, and a paid one of the same session. */
    async function twoOrders() {
      const session = await newSession();
      const pay = async (paymentMethod: "pm_card_visa" | "pm_card_chargeDeclined") => {
        const cart = await newCart(session.id);
        const result = await checkout({ session, idempotencyKey: randomUUID(), input: { cartId: cart.id, email: "n@example.com", paymentMethod } });
        assert.equal(result.kind, "completed");
        return db.order.findFirstOrThrow({ where: { cartId: cart.id } });
      };
      return { unpaid: await pay("pm_card_chargeDeclined"), paid: await pay("pm_card_visa") };
    }

    /** A correctly signed payment_intent.succeeded claiming `orderId`, about `intent`. */
    const claim = (orderId: string, intent: Record<string, unknown>) =>
      JSON.stringify({
        id: `evt_${randomUUID()}`,
        object: "event",
        type: "payment_intent.succeeded",
        data: { object: { object: "payment_intent", status: "succeeded", ...intent, metadata: { order_id: orderId } } },
      });

    async function assertContradicted(payload: string, orderId: string, reason: RegExp) {
      const outcome = await post(payload, sign(payload));
      assert.equal(outcome.status, 200);
      assert.equal(outcome.result, "contradicted");
      const order = await db.order.findUniqueOrThrow({ where: { id: orderId } });
      assert.equal(order.status, "payment_failed", "the order did not move");
      const row = await db.webhookEvent.findFirstOrThrow({ where: { eventId: (JSON.parse(payload) as { id: string }).id } });
      assert.match(row.rejectedReason ?? "", reason);
      // Redelivered, it stays rejected and changes nothing.
      assert.equal((await post(payload, sign(payload))).result, "duplicate");
    }

    it("another order's succeeded PaymentIntent, claimed for this order, does not pay it", async () => {
      const { unpaid, paid } = await twoOrders();
      const payload = claim(unpaid.id, { id: paid.paymentIntentId, amount: unpaid.amountCents, currency: unpaid.currency });
      const outcome = await post(payload, sign(payload));
      // Stripe says that PaymentIntent belongs to the other (already paid) order: nothing moves here.
      assert.equal(outcome.status, 200);
      assert.equal((await db.order.findUniqueOrThrow({ where: { id: unpaid.id } })).status, "payment_failed");
    });

    it("a PaymentIntent Stripe does not know is rejected with the reason", async () => {
      const { unpaid } = await twoOrders();
      await assertContradicted(
        claim(unpaid.id, { id: `pi_${randomUUID()}`, amount: unpaid.amountCents, currency: unpaid.currency }),
        unpaid.id,
        /Stripe has no PaymentIntent/,
      );
    });

    it("a real PaymentIntent for this order, but for another amount, is rejected with the reason", async () => {
      const { unpaid } = await twoOrders();
      const cheap = await stripe().paymentIntents.create({
        amount: 50,
        currency: unpaid.currency,
        payment_method: "pm_card_visa",
        automatic_payment_methods: { enabled: true, allow_redirects: "never" },
        confirm: true,
        metadata: { order_id: unpaid.id },
      });
      await assertContradicted(await eventAbout(cheap.id, "payment_intent.succeeded"), unpaid.id, /is for 50 usd/);
    });

    it("a PaymentIntent that has not succeeded at Stripe does not pay the order", async () => {
      const { unpaid } = await twoOrders();
      await assertContradicted(
        claim(unpaid.id, { id: unpaid.paymentIntentId, amount: unpaid.amountCents, currency: unpaid.currency }),
        unpaid.id,
        /requires_payment_method at Stripe/,
      );
    });
  });

  it("refunded amounts only grow: a partial and a full refund, shuffled, end refunded in full (10 orders)", async () => {
    const session = await newSession();
    const orders = [];
    for (let i = 0; i < 10; i++) {
      const cart = await newCart(session.id);
      const result = await checkout({
        session,
        idempotencyKey: randomUUID(),
        input: { cartId: cart.id, email: "r@example.com", paymentMethod: "pm_card_visa" },
      });
      assert.equal(result.kind === "completed" && result.outcome.kind, "paid");
      const order = await db.order.findFirstOrThrow({ where: { cartId: cart.id } });
      await stripe().refunds.create({ payment_intent: order.paymentIntentId!, amount: 100 });
      await stripe().refunds.create({ payment_intent: order.paymentIntentId! });
      orders.push(order);
    }
    const events = await eventsOf(orders.map((o) => o.id));
    await Promise.all(shuffled(events).map((e) => post(e, sign(e))));
    await Promise.all(shuffled(events).map((e) => post(e, sign(e)))); // the refunds that waited for their payment
    const after = await db.order.findMany({ where: { id: { in: orders.map((o) => o.id) } } });
    assert.deepEqual(
      after.map((o) => [o.status, o.refundedCents]),
      orders.map((o) => ["refunded", o.amountCents]),
    );
  });

  it("a correctly signed body that is not an event is a 400, and nothing is written", async () => {
    const before = await db.webhookEvent.count();
    for (const body of ["{}", "[]", '{"id":"evt_1","type":"x"}', "not json", '{"id":"evt_2","type":"payment_intent.succeeded","data":{"object":null}}']) {
      const outcome = await post(body, sign(body));
      assert.equal(outcome.status, 400, body);
    }
    assert.equal(await db.webhookEvent.count(), before);
  });

  describe("through the local Stripe server's delivery", () => {
    let server: Server;
    before(async () => {
      server = createServer(async (req, res) => {
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        const outcome = await receiveWebhook(
          stripeWebhooks,
          Buffer.concat(chunks).toString("utf8"),
          new Headers({ "stripe-signature": String(req.headers["stripe-signature"] ?? "") }),
        );
        res.writeHead(outcome.status, { "Content-Type": "application/json" }).end(JSON.stringify(outcome));
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      const address = server.address();
      const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/`;
      const control = (path: string, body: unknown) => fetch(`${STRIPE}${path}`, { method: "POST", body: JSON.stringify(body) });
      await control("/_control/webhooks", { endpoints: [{ url, secret: env().stripe.webhookSecret }] });
      await control("/_control/faults", { webhooks: { duplicates: 4, delayMs: 400, shuffle: true } });
    });
    after(async () => {
      await fetch(`${STRIPE}/_control/reset`, { method: "POST" });
      server.close();
    });

    it("5 copies of every event, shuffled, concurrent: exact final states", async () => {
      const list = await stories();
      const events = await eventsOf(list.map((s) => s.orderId));
      const ids = events.map((e) => (JSON.parse(e) as { id: string }).id);
      // Wait until every copy of every event has been delivered.
      await until(async () => {
        const rows = await db.webhookEvent.findMany({ where: { eventId: { in: ids } } });
        return rows.length === ids.length && rows.every((r) => r.processedAt && r.deliveries === 5);
      }, "every copy of every event").catch(() => {}); // What came is asserted below, exactly.
      const rows = await db.webhookEvent.findMany({ where: { eventId: { in: ids } } });
      assert.equal(rows.length, ids.length);
      assert.ok(rows.every((r) => r.deliveries === 5 && r.processedAt));
      assert.deepEqual(
        await finalStates(list),
        list.map((s) => s.expect),
      );
    });
  });
});
