// bench:scale's measured operations: the shop's and the kit's own functions,
// called in-process as scripts/bench.ts calls them (no HTTP, no raw SQL), one
// at a time, each sample timed on its own. The same set runs on empty tables
// and on full ones, so each operation's p50 and p99 compare like with like.
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import Stripe from "stripe";

export const OPERATIONS = ["claim, new key", "replay (finished key)", "409 (still running)", "new checkout", "webhook delivery (new event)"] as const;
export type Operation = (typeof OPERATIONS)[number];
export type Samples = Record<Operation, number[]>;

const signer = new Stripe("sk_test_signer");

/** `n` samples of each operation (new checkouts: n / 4, they are the slow ones). */
export async function measureOperations(n: number): Promise<Samples> {
  const { checkout } = await import("../../lib/orders/checkout.server");
  const { flushCheckoutEvents } = await import("../../lib/orders/checkout-events.server");
  const { claim, requestFingerprint, SimulatedCrash } = await import("@payonce/kit");
  const { attempts } = await import("../../lib/db/attempts.server");
  const { env } = await import("../../lib/env.server");
  const { stripe } = await import("../../lib/payments/payments.server");
  const { receiveWebhook } = await import("../../lib/webhooks/core.server");
  const { stripeWebhooks } = await import("../../lib/webhooks/stripe.server");
  const { newCart, newSession, stopAfter } = await import("../../tests/helpers");

  const samples = Object.fromEntries(OPERATIONS.map((o) => [o, [] as number[]])) as Samples;
  const time = async (operation: Operation, op: () => Promise<unknown>) => {
    const start = performance.now();
    await op();
    samples[operation].push(performance.now() - start);
  };
  const session = await newSession();
  const request = async (of = session) => ({
    session: of,
    idempotencyKey: randomUUID(),
    input: { cartId: (await newCart(of.id)).id, email: "scale@example.com", paymentMethod: "pm_card_visa" as const },
  });

  const fingerprint = requestFingerprint("POST", "/bench", {});
  for (let i = 0; i < n; i++) await time("claim, new key", () => claim(attempts(), { scope: session.id, key: randomUUID(), fingerprint }));

  const done: Awaited<ReturnType<typeof request>>[] = [];
  let paymentIntent = "";
  for (let i = 0; i < Math.max(4, n / 4); i++) {
    const r = await request();
    await time("new checkout", async () => {
      const result = await checkout(r);
      if (result.kind === "completed" && "order" in result.outcome) paymentIntent = result.outcome.order.paymentIntentId ?? paymentIntent;
    });
    done.push(r);
  }
  for (let i = 0; i < n; i++) await time("replay (finished key)", () => checkout(done[i % done.length]!));
  await flushCheckoutEvents();

  // A held attempt (its first request stopped after creating the order, its lease live for
  // IDEMPOTENCY_LEASE_SECONDS): asked again at once, 20 times, each a 409. Each in a session
  // of its own: its unpaid order holds units, and a session may hold only so many.
  for (let i = 0; i < n; i += 20) {
    const held = await request(await newSession());
    await checkout({ ...held, crashAfter: stopAfter("order_created") }).catch((error: unknown) => {
      if (!(error instanceof SimulatedCrash)) throw error;
    });
    for (let j = 0; j < 20; j++) await time("409 (still running)", () => checkout(held));
  }
  await flushCheckoutEvents();

  // The same event as Stripe sent it for one of these payments, under a new id each time.
  const event = (await stripe().events.list({ limit: 50, type: "payment_intent.succeeded" })).data.find(
    (e) => (e.data.object as { id: string }).id === paymentIntent,
  );
  if (!event) throw new Error("no payment_intent.succeeded event for the bench's payment");
  for (let i = 0; i < n; i++) {
    const payload = JSON.stringify({ ...event, id: `evt_scale_${randomUUID()}` });
    const headers = new Headers({ "stripe-signature": signer.webhooks.generateTestHeaderString({ payload, secret: env().stripe.webhookSecret }) });
    await time("webhook delivery (new event)", async () => {
      const outcome = await receiveWebhook(stripeWebhooks, payload, headers);
      if (outcome.status !== 200) throw new Error(`a webhook delivery answered ${outcome.status}: ${JSON.stringify(outcome)}`);
    });
  }
  return samples;
}
