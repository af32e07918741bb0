// A payment that succeeded after its order's units went back to stock, when
// they are sold out by now: the customer is refunded in full, automatically,
// and the order says why. A job like fulfillment (enqueued in the transaction
// that marks the order paid), so the refund survives a crash and is made once.
import "server-only";
import { db, type Tx } from "../db/db.server";
import { enqueue, type JobDefinition } from "./jobs.server";
import { moveOrder } from "../orders/order-state";
import { refundInFull } from "../payments/payments.server";

const SOLD_OUT_REFUND = "sold_out_refund";

export const SOLD_OUT_NOTICE = "Sold out while your payment was pending: your payment is refunded in full.";

/** In the transaction that marks the order paid, instead of fulfillment. */
export async function enqueueSoldOutRefund(tx: Tx, orderId: string) {
  await tx.order.update({ where: { id: orderId }, data: { notice: SOLD_OUT_NOTICE } });
  await enqueue(tx, SOLD_OUT_REFUND, orderId);
}

export const soldOutRefundJob: JobDefinition = {
  kind: SOLD_OUT_REFUND,
  steps: [
    {
      name: "refund",
      async foreign(job) {
        const order = await db.order.findUniqueOrThrow({ where: { id: job.orderId } });
        if (!order.paymentIntentId) throw new Error(`order ${order.id} is paid but has no PaymentIntent`);
        await refundInFull(order.id, order.paymentIntentId, {
          current: order.refundKeyGeneration,
          moveOn: (next) => db.order.updateMany({ where: { id: order.id, refundKeyGeneration: { lt: next } }, data: { refundKeyGeneration: next } }),
        });
      },
    },
    {
      name: "mark_refunded",
      async run(tx, job) {
        const order = await tx.order.findUniqueOrThrow({ where: { id: job.orderId } });
        await tx.order.updateMany({ where: { id: order.id, refundedCents: { lt: order.amountCents } }, data: { refundedCents: order.amountCents } });
        await moveOrder(tx, order.id, "refunded");
      },
    },
  ],
};
