// The Stripe adapter: signature checked by the SDK (300 s tolerance), and the
// three events the shop acts on. Each is read back from Stripe before it is
// applied: the payload only says which object to look at.
import Stripe from "stripe";
import { z } from "zod";
import type { Tx } from "../db/db.server";
import { env } from "../env.server";
import { moveOrder } from "../orders/order-state";
import { applyPaymentOutcome } from "../orders/payment-settlement.server";
import { declineOf, stripe } from "../payments/payments.server";
import {
  EventContradicted,
  RetryLater,
  WebhookPayloadError,
  WebhookSignatureError,
  type VerifiedEvent,
  type WebhookAdapter,
  type WebhookOptions,
} from "./core.server";

const SIGNATURE_TOLERANCE_SECONDS = 300;

const eventShape = z.object({ id: z.string().min(1), type: z.string().min(1), data: z.object({ object: z.object({ id: z.string().min(1) }).loose() }) });

/** Stripe's own copies of what an event is about. */
type Facts = { intent?: Stripe.PaymentIntent; charge?: Stripe.Charge };

/** The object as Stripe holds it now; one Stripe does not know contradicts the event. */
async function read<T>(what: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof Stripe.errors.StripeInvalidRequestError && error.statusCode === 404) {
      throw new EventContradicted(`Stripe has no ${what}`);
    }
    throw error;
  }
}

/**
 * The order a PaymentIntent belongs to: the one named in Stripe's own copy of
 * its metadata, else the one that recorded its id. Its amount and currency
 * must be the order's.
 */
async function orderOf(tx: Tx, intent: Stripe.PaymentIntent) {
  const byMetadata = intent.metadata?.order_id;
  const order = byMetadata ? await tx.order.findUnique({ where: { id: byMetadata } }) : await tx.order.findUnique({ where: { paymentIntentId: intent.id } });
  if (!order) throw new RetryLater(`no order yet for PaymentIntent ${intent.id}`);
  if (intent.amount !== order.amountCents || intent.currency !== order.currency) {
    throw new EventContradicted(
      `PaymentIntent ${intent.id} is for ${intent.amount} ${intent.currency}, order ${order.id} for ${order.amountCents} ${order.currency}`,
    );
  }
  return order;
}

function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`facts without ${what}`);
  return value;
}

export const stripeWebhooks: WebhookAdapter<Facts> = {
  provider: "stripe",

  verify(rawBody: string, headers: Headers): VerifiedEvent {
    const signature = headers.get("stripe-signature");
    if (!signature) throw new WebhookSignatureError("missing Stripe-Signature header");
    let event: unknown;
    try {
      event = stripe().webhooks.constructEvent(rawBody, signature, env().stripe.webhookSecret, SIGNATURE_TOLERANCE_SECONDS);
    } catch (error) {
      if (error instanceof Stripe.errors.StripeSignatureVerificationError) throw new WebhookSignatureError(error.message);
      if (error instanceof SyntaxError) throw new WebhookPayloadError("the body is not JSON");
      throw error;
    }
    const parsed = eventShape.safeParse(event);
    if (!parsed.success) throw new WebhookPayloadError("the body is not a Stripe event (id, type, data.object.id)");
    return { id: parsed.data.id, type: parsed.data.type, data: parsed.data.data.object };
  },

  async facts(event: VerifiedEvent): Promise<Facts> {
    const { id } = event.data as { id: string };
    switch (event.type) {
      case "payment_intent.succeeded":
      case "payment_intent.payment_failed":
        return { intent: await read(`PaymentIntent ${id}`, () => stripe().paymentIntents.retrieve(id)) };
      case "charge.refunded": {
        const charge = await read(`charge ${id}`, () => stripe().charges.retrieve(id));
        const intentId = typeof charge.payment_intent === "string" ? charge.payment_intent : charge.payment_intent?.id;
        if (!intentId) throw new EventContradicted(`charge ${id} has no PaymentIntent`);
        return { charge, intent: await read(`PaymentIntent ${intentId}`, () => stripe().paymentIntents.retrieve(intentId)) };
      }
      default:
        return {};
    }
  },

  async apply(tx: Tx, event: VerifiedEvent, facts: Facts, { onPaidAgain }: WebhookOptions) {
    switch (event.type) {
      case "payment_intent.succeeded": {
        const intent = must(facts.intent, "the PaymentIntent");
        if (intent.status !== "succeeded") throw new EventContradicted(`PaymentIntent ${intent.id} is ${intent.status} at Stripe, not succeeded`);
        const order = await orderOf(tx, intent);
        await applyPaymentOutcome(tx, order.id, { kind: "succeeded", paymentIntentId: intent.id }, onPaidAgain);
        return;
      }
      case "payment_intent.payment_failed": {
        const intent = must(facts.intent, "the PaymentIntent");
        const order = await orderOf(tx, intent);
        // Stripe's copy may have moved on (paid with another card): moveOrder never undoes "paid".
        await applyPaymentOutcome(tx, order.id, declineOf(intent));
        // Counted per event: what the event-id dedupe protects.
        await tx.order.update({ where: { id: order.id }, data: { failedPayments: { increment: 1 } } });
        return;
      }
      case "charge.refunded": {
        const charge = must(facts.charge, "the charge");
        const order = await orderOf(tx, must(facts.intent, "the PaymentIntent"));
        // A refund shuffled ahead of its payment waits for it, instead of being lost.
        if (order.status === "awaiting_payment" || order.status === "payment_failed") {
          throw new RetryLater(`refund for order ${order.id} arrived before its payment`);
        }
        // Refunded amounts only grow, whatever order the events arrive in.
        await tx.order.updateMany({ where: { id: order.id, refundedCents: { lt: charge.amount_refunded } }, data: { refundedCents: charge.amount_refunded } });
        if (charge.refunded) await moveOrder(tx, order.id, "refunded");
        return;
      }
      default:
        return; // Other events are recorded and acknowledged, nothing more.
    }
  },
};
