// Order states only move forward, along this table. The checkout's own result
// and the payment provider's webhooks both go through moveOrder, so whichever
// arrives first wins and the other changes nothing (a late
// payment_intent.created, or a stale decline, never undoes "paid"). Only the
// table: what being paid sets off is order-paid.server.ts's.
import type { Tx } from "../db/db.server";
import type { Order } from "../../generated/sqlite/client";

export type OrderStatus = "awaiting_payment" | "payment_failed" | "paid" | "refunded";

const ALLOWED_TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  awaiting_payment: ["paid", "payment_failed"],
  // A declined order can still be paid with another card, or decline again.
  payment_failed: ["paid", "payment_failed"],
  paid: ["refunded"],
  refunded: [],
};

/**
 * Moves an order to `to` if the table allows it from where it is now, in one
 * conditional update (safe against a concurrent move). Returns the order as
 * moved, or null if it did not move. To paid through markPaid
 * (order-paid.server.ts), which commits the order's follow-up with the move.
 */
export async function moveOrder(
  tx: Tx,
  orderId: string,
  to: OrderStatus,
  data: { paidAt?: Date; paymentError?: string | null; paymentIntentId?: string } = {},
): Promise<Order | null> {
  const from = (Object.keys(ALLOWED_TRANSITIONS) as OrderStatus[]).filter((s) => ALLOWED_TRANSITIONS[s].includes(to));
  const [moved] = await tx.order.updateManyAndReturn({ where: { id: orderId, status: { in: from } }, data: { status: to, ...data } });
  return moved ?? null;
}
