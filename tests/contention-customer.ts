// One process of the contention test (tests/database-contention.test.ts):
// customers checking out, replaying their key, and the payment provider's
// webhooks for each payment delivered twice, STRESS_CUSTOMERS of them (a count,
// not a time: a slow machine does the same work, only later). Prints what it
// did and every error it met as one JSON line.
import { randomUUID } from "node:crypto";
import Stripe from "stripe";
import { checkout } from "../lib/orders/checkout.server";
import { env } from "../lib/env.server";
import { stripe } from "../lib/payments/payments.server";
import { receiveWebhook } from "../lib/webhooks/core.server";
import { stripeWebhooks } from "../lib/webhooks/stripe.server";
import { newCart, newSession } from "./helpers";

const customers = Number(process.env.STRESS_CUSTOMERS ?? 8);
const signer = new Stripe("sk_test_signer");
const report = { sessions: [] as string[], checkouts: 0, webhooks: 0, errors: [] as string[] };

async function deliverTwice(paymentIntentId: string) {
  const intent = await stripe().paymentIntents.retrieve(paymentIntentId);
  const type = intent.status === "succeeded" ? "payment_intent.succeeded" : "payment_intent.payment_failed";
  const payload = JSON.stringify({ id: `evt_${randomUUID().replaceAll("-", "")}`, object: "event", type, data: { object: intent } });
  for (let i = 0; i < 2; i++) {
    const headers = new Headers({ "stripe-signature": signer.webhooks.generateTestHeaderString({ payload, secret: env().stripe.webhookSecret }) });
    const outcome = await receiveWebhook(stripeWebhooks, payload, headers);
    if (outcome.status !== 200) throw new Error(`webhook ${outcome.status}: ${outcome.reason}`);
    report.webhooks++;
  }
}

async function oneCustomer() {
  const session = await newSession();
  report.sessions.push(session.id);
  const cart = await newCart(session.id, { [["mug", "socks", "bottle"][report.sessions.length % 3]!]: 1 });
  const paymentMethod = report.sessions.length % 4 === 0 ? "pm_card_chargeDeclined" : "pm_card_visa";
  const request = { session, idempotencyKey: randomUUID(), input: { cartId: cart.id, email: "load@example.com", paymentMethod } as const };
  for (let i = 0; i < 2; i++) {
    const result = await checkout(request);
    if (result.kind !== "completed") throw new Error(`checkout ${result.kind}`);
    report.checkouts++;
    const order = "order" in result.outcome ? result.outcome.order : undefined;
    if (i === 0 && order?.paymentIntentId) await deliverTwice(order.paymentIntentId);
  }
}

for (let n = 0; n < customers; n++) {
  await oneCustomer().catch((error: unknown) => {
    const code = (error as { code?: string }).code;
    report.errors.push(
      `${code ?? ""} ${String(error instanceof Error ? error.message : error)
        .split("\n")
        .filter(Boolean)
        .at(-1)}`,
    );
  });
}
console.log(JSON.stringify(report));
process.exit(0);
