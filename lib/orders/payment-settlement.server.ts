// How an order learns its payment's result, from whichever report comes: the
// checkout's own request, the customer's return from 3-D Secure, a webhook,
// the upkeep that cancels abandoned authentications. Each reads the truth from
// Stripe (never from a query string or a payload) and applies it through the
// forward-only moves of order-state.ts, so the reports may come in any order,
// any number of times: the order is paid once and fulfilled once.
import "server-only";
import { db, type Tx } from "../db/db.server";
import type { Order } from "../../generated/sqlite/client";
import { moveOrder } from "./order-state";
import { markPaid } from "./order-paid.server";
import { cancelPayment, paymentOutcome, type PaymentOutcome } from "../payments/payments.server";
import type { PaidAgain } from "../policy";
import { releaseExpiredHolds } from "./stock.server";

/**
 * Applies what Stripe said of the order's payment. Returns the order as moved,
 * or null if it did not move. A success reported for an order paid already
 * changes nothing; `onPaidAgain` (a policy's, lib/policy.ts) is told of it.
 */
export async function applyPaymentOutcome(tx: Tx, orderId: string, outcome: PaymentOutcome, onPaidAgain?: PaidAgain): Promise<Order | null> {
  switch (outcome.kind) {
    case "succeeded": {
      const moved = await markPaid(tx, orderId, { paidAt: new Date(), paymentError: null, paymentIntentId: outcome.paymentIntentId });
      if (!moved) await onPaidAgain?.(tx, orderId);
      return moved;
    }
    case "declined":
      return moveOrder(tx, orderId, "payment_failed", { paymentError: outcome.message });
    default:
      return null; // still waiting (for the customer, or for the bank)
  }
}

/**
 * The customer is back from authenticating (the return page): settles the
 * order that holds this PaymentIntent from Stripe's copy of it. Null when no
 * order of ours holds it. A Stripe that does not answer leaves the order as it
 * is; the webhook or the next visit settles it.
 */
export async function settleReturn(paymentIntentId: string, onPaidAgain?: PaidAgain): Promise<{ orderId: string; sessionId: string; status: string } | null> {
  const order = await db.order.findUnique({ where: { paymentIntentId }, select: { id: true } });
  if (!order) return null;
  const outcome = await paymentOutcome(paymentIntentId).catch(() => null);
  if (outcome) await db.$transaction((tx) => applyPaymentOutcome(tx, order.id, outcome, onPaidAgain));
  const settled = await db.order.findUniqueOrThrow({ where: { id: order.id }, select: { id: true, sessionId: true, status: true } });
  return { orderId: settled.id, sessionId: settled.sessionId, status: settled.status };
}

/**
 * The worker's sweep for payments that will not finish: orders past the hold
 * window give their units back (stock.server.ts), and a PaymentIntent still
 * waiting for its customer is canceled at Stripe, so that an authentication
 * completed later cannot charge for units that are gone. One Stripe says can
 * no longer be canceled settles from its own outcome instead. Returns how many
 * payments it canceled.
 */
export async function releaseAbandonedPayments(
  now = new Date(),
  { limit = 20, onPaidAgain }: { limit?: number; onPaidAgain?: PaidAgain } = {},
): Promise<{ released: number; canceled: number }> {
  const released = await releaseExpiredHolds(now);
  const waiting = await db.order.findMany({
    where: { status: "awaiting_payment", stockReleasedAt: { not: null }, paymentIntentId: { not: null } },
    select: { id: true, paymentIntentId: true },
    take: limit,
  });
  let canceled = 0;
  for (const order of waiting) {
    const paymentIntentId = order.paymentIntentId!;
    try {
      const gone = await cancelPayment(order.id, paymentIntentId);
      const outcome: PaymentOutcome = gone
        ? { kind: "declined", paymentIntentId, code: "abandoned", message: "The payment was not completed in time, so it was canceled." }
        : await paymentOutcome(paymentIntentId);
      await db.$transaction((tx) => applyPaymentOutcome(tx, order.id, outcome, onPaidAgain));
      if (gone) canceled++;
    } catch (error) {
      console.error(`upkeep: the payment of order ${order.id} could not be canceled yet`, error);
    }
  }
  return { released, canceled };
}
