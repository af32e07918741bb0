// The Stripe adapter: signature checked by the SDK (300 s tolerance), and the
// three events the shop acts on.
import Stripe from "stripe";
import type { Tx } from "../db.server";
import { env } from "../env.server";
import { moveOrder } from "../order-state";
import { stripe } from "../payments.server";
import { RetryLater, WebhookSignatureError, type VerifiedEvent, type WebhookAdapter } from "./core.server";

export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** The order an event is about: its metadata, else the PaymentIntent we stored. */
async function orderFor(tx: Tx, paymentIntent: { id: string; metadata?: Record<string, string> | null }) {
  const byMetadata = paymentIntent.metadata?.order_id;
  const order = byMetadata
    ? await tx.order.findUnique({ where: { id: byMetadata } })
    : await tx.order.findUnique({ where: { paymentIntentId: paymentIntent.id } });
  if (!order) throw new RetryLater(`no order yet for PaymentIntent ${paymentIntent.id}`);
  return order;
}

export const stripeWebhooks: WebhookAdapter = {
  provider: "stripe",

  verify(rawBody: string, headers: Headers): VerifiedEvent {
    const signature = headers.get("stripe-signature");
    if (!signature) throw new WebhookSignatureError("missing Stripe-Signature header");
    try {
      const event = stripe().webhooks.constructEvent(rawBody, signature, env().stripe.webhookSecret, SIGNATURE_TOLERANCE_SECONDS);
      return { id: event.id, type: event.type, data: event.data.object };
    } catch (error) {
      if (error instanceof Stripe.errors.StripeSignatureVerificationError) throw new WebhookSignatureError(error.message);
      throw error;
    }
  },

  async apply(tx: Tx, event: VerifiedEvent) {
    switch (event.type) {
      case "payment_intent.succeeded": {
        const intent = event.data as Stripe.PaymentIntent;
        const order = await orderFor(tx, intent);
        await moveOrder(tx, order.id, "paid", {
          paidAt: new Date(),
          paymentError: null,
          ...(order.paymentIntentId ? {} : { paymentIntentId: intent.id }),
        });
        return;
      }
      case "payment_intent.payment_failed": {
        const intent = event.data as Stripe.PaymentIntent;
        const order = await orderFor(tx, intent);
        const message = intent.last_payment_error?.message ?? "Your card was declined.";
        await moveOrder(tx, order.id, "payment_failed", { paymentError: message });
        // Counted per event: what the event-id dedupe protects.
        await tx.order.update({ where: { id: order.id }, data: { failedPayments: { increment: 1 } } });
        return;
      }
      case "charge.refunded": {
        const charge = event.data as Stripe.Charge;
        const paymentIntentId = typeof charge.payment_intent === "string" ? charge.payment_intent : charge.payment_intent?.id;
        const order = await orderFor(tx, { id: paymentIntentId ?? "", metadata: null });
        // A refund shuffled ahead of its payment waits for it, instead of being lost.
        if (order.status === "awaiting_payment" || order.status === "payment_failed") {
          throw new RetryLater(`refund for order ${order.id} arrived before its payment`);
        }
        await tx.order.update({ where: { id: order.id }, data: { refundedCents: charge.amount_refunded } });
        if (charge.refunded) await moveOrder(tx, order.id, "refunded");
        return;
      }
      default:
        return; // Other events are recorded and acknowledged, nothing more.
    }
  },
};
