// lib/refunds.ts: the operation, whatever calls it.
import { atomicPhase, requestFingerprint, runIdempotent, RefusedInput, type Lease } from "@payonce/kit";
import { z } from "zod";
import { db } from "./db"; // yours: your PrismaClient
import { idempotency, type Tx } from "./idempotency";
import { payments, PaymentServiceDown } from "./payments"; // yours: the payment service's client, and what it throws when down

const outcome = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("refunded"), refundId: z.string() }),
  z.object({ kind: z.literal("over_limit") }),
  z.object({ kind: z.literal("failed"), message: z.string() }),
]);

export async function refundOrder(scope: string, key: string, fields: { orderId: string; amountCents: number }) {
  const order = await db.order.findUnique({ where: { id: fields.orderId } });
  if (!order) throw new RefusedInput("No such order.", "orderId");
  return runIdempotent({
    ...idempotency(),
    scope,
    key,
    fingerprint: requestFingerprint("POST", "/refunds", fields),
    outcome,
    // Not final: the attempt is released and the same key resumes it.
    retryable: (error) => error instanceof PaymentServiceDown,
    phases: {
      // Local: the reservation, the refund row and the move to "refund_created" commit together.
      started: (lease) =>
        atomicPhase(lease, async (tx) => {
          const { count } = await tx.order.updateMany({
            where: { id: order.id, refundReservedCents: { lte: order.amountCents - fields.amountCents } },
            data: { refundReservedCents: { increment: fields.amountCents } },
          });
          if (count === 0) return { finish: { kind: "over_limit" } };
          await tx.refund.create({ data: { orderId: order.id, attemptId: lease.attemptId, amountCents: fields.amountCents } });
          return { next: "refund_created" };
        }),
      // Foreign: outside any transaction, with an idempotency key derived from the attempt,
      // so a resumed attempt asks the payment service the same question again.
      refund_created: async (lease: Lease<Tx>) => {
        const refund = await db.refund.findUniqueOrThrow({ where: { attemptId: lease.attemptId } });
        const answer = await payments.refunds.create(
          { payment_intent: order.paymentIntentId, amount: refund.amountCents },
          { idempotencyKey: `refund:${refund.id}` },
        );
        // Local again: record what the payment service said, and finish.
        return atomicPhase(lease, async (tx) => {
          await tx.refund.update({ where: { id: refund.id }, data: { status: "succeeded", providerId: answer.id } });
          return { finish: { kind: "refunded", refundId: refund.id } };
        });
      },
    },
  });
}
