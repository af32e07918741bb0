// Being paid has one follow-up, committed with it (outbox): whoever moves the
// order to paid (the checkout, the return from 3-D Secure, a webhook: all
// through payment-settlement.server.ts) enqueues it, and only one can, since
// only one move succeeds. Paid after its units went back to stock, they are
// taken again (stock.server.ts), or, sold out by now, the payment is refunded
// instead (sold-out-refund.server.ts); otherwise the order is fulfilled.
import "server-only";
import type { Tx } from "../db/db.server";
import type { Order } from "../../generated/sqlite/client";
import { enqueueFulfillment } from "../worker/fulfillment.server";
import { moveOrder } from "./order-state";
import { enqueueSoldOutRefund } from "../worker/sold-out-refund.server";
import { retakeStock } from "./stock.server";

/** Moves the order to paid (order-state.ts's table) and enqueues what follows. Returns the order as moved, or null if it did not move. */
export async function markPaid(tx: Tx, orderId: string, data: { paidAt: Date; paymentError: null; paymentIntentId: string }): Promise<Order | null> {
  const moved = await moveOrder(tx, orderId, "paid", data);
  if (moved) {
    if (await retakeStock(tx, moved)) await enqueueFulfillment(tx, orderId);
    else await enqueueSoldOutRefund(tx, orderId);
  }
  return moved;
}
