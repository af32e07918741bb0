// Refunds from the admin, a two-phase user of the kit around one foreign call:
//
//   started ──reserve the amount, record the refund──▶ refund_created ──refund at Stripe, settle──▶ finished
//
// The reservation is one conditional update (what is reserved + this ≤ what
// was paid), so two admins refunding at once never refund more than was paid.
// The Stripe refund's idempotency key derives from our refund record, so a
// repeated phase (a double click with the same attempt, a crash, a timeout)
// makes one refund at Stripe.
import "server-only";
import { attempts, linkOrder, runAttempt } from "../db/attempts.server";
import { z } from "zod";
import { databaseId, idempotencyKeySchema, text } from "./checkout-schema";
import { db, type Tx } from "../db/db.server";
import { atomicPhase, type PhaseResult, RefusedInput, requestFingerprint } from "@payonce/kit";
import { formatMoney } from "../money";
import { moveOrder } from "./order-state";
import { PaymentUnavailableError, refundPart } from "../payments/payments.server";
import { PROTECTED, type Policy } from "../policy";

/** "12.50" (in the order's currency) → 1250. */
const amount = text(32).pipe(
  z
    .string()
    .trim()
    .regex(/^\d{1,7}(\.\d{1,2})?$/, "Enter an amount such as 12.50.")
    .transform((s) => Math.round(Number(s) * 100))
    .pipe(databaseId.min(1, "Enter an amount above 0.")),
);

export const refundFormSchema = z.object({
  orderId: text(64).pipe(z.string().min(1, "The order is missing. Reload the page.")),
  amountCents: amount,
  idempotencyKey: idempotencyKeySchema,
});

export type RefundFields = Omit<z.infer<typeof refundFormSchema>, "idempotencyKey">;

export const refundOutcomeSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("refunded"), refundId: z.string(), amountCents: z.number(), currency: z.string() }),
  /** Another refund took what was left between the check and the reservation. */
  z.object({ kind: z.literal("over_limit") }),
  /** Stripe refused it (e.g. refunded elsewhere already): nothing was refunded, the reservation is given back. */
  z.object({ kind: z.literal("failed"), message: z.string() }),
]);

export type RefundOutcome = z.infer<typeof refundOutcomeSchema>;

export const REFUND_OPERATION = "refund";

export async function refundOrder(session: { id: string }, key: string, fields: RefundFields, policy: Policy = PROTECTED) {
  const order = await db.order.findUnique({ where: { id: fields.orderId } });
  if (!order?.paymentIntentId) throw new RefusedInput("Only a paid order can be refunded.");
  const paymentIntentId = order.paymentIntentId;

  return runAttempt({
    name: "refund",
    ...attempts(),
    scope: session.id,
    key: policy.attemptKey(key),
    fingerprint: requestFingerprint("POST", "/admin/refunds", fields),
    // The completer resumes a refund its admin abandoned, as it does a checkout.
    request: JSON.stringify({ operation: REFUND_OPERATION, ...fields }),
    outcome: refundOutcomeSchema,
    retryable: (error) => error instanceof PaymentUnavailableError,
    precondition: async () => {
      if (order.status !== "paid") throw new RefusedInput("Only a paid order can be refunded.");
      const left = order.amountCents - order.refundReservedCents;
      if (policy.businessUniqueness && fields.amountCents > left)
        throw new RefusedInput(`At most ${formatMoney(left, order.currency)} is left to refund.`, "amountCents");
    },
    phases: {
      started: (lease) =>
        atomicPhase(lease, async (tx): Promise<PhaseResult<RefundOutcome>> => {
          if (!(await reserve(tx, order, fields.amountCents, policy))) return { finish: { kind: "over_limit" } };
          await tx.refund.create({ data: { orderId: order.id, attemptId: lease.attemptId, amountCents: fields.amountCents } });
          await linkOrder(tx, lease, order.id);
          return { next: "refund_created" };
        }),
      refund_created: async (lease) => {
        const refund = await db.refund.findUniqueOrThrow({ where: { attemptId: lease.attemptId } });
        const keyGenerations = {
          current: refund.keyGeneration,
          moveOn: (next: number) => db.refund.updateMany({ where: { id: refund.id, keyGeneration: { lt: next } }, data: { keyGeneration: next } }),
        };
        const result = await refundPart({ id: refund.id, paymentIntentId, amountCents: refund.amountCents, keyGenerations }, policy);
        return atomicPhase(lease, async (tx): Promise<PhaseResult<RefundOutcome>> => {
          if (result.kind === "refused") {
            await tx.refund.update({ where: { id: refund.id }, data: { status: "failed", failure: result.message } });
            await tx.order.update({ where: { id: order.id }, data: { refundReservedCents: { decrement: refund.amountCents } } });
            return { finish: { kind: "failed", message: result.message } };
          }
          await tx.refund.update({ where: { id: refund.id }, data: { status: "succeeded", stripeRefundId: result.stripeRefundId } });
          await settleRefunded(tx, order.id, order.amountCents);
          return { finish: { kind: "refunded", refundId: refund.id, amountCents: refund.amountCents, currency: order.currency } };
        });
      },
    },
  });
}

/** Layer 3: what is reserved never passes what was paid (off: any amount, as often as asked, and Stripe refuses what it cannot refund). */
async function reserve(tx: Tx, order: { id: string; amountCents: number }, amountCents: number, policy: Policy): Promise<boolean> {
  const limit = policy.businessUniqueness ? { refundReservedCents: { lte: order.amountCents - amountCents } } : {};
  const { count } = await tx.order.updateMany({ where: { id: order.id, status: "paid", ...limit }, data: { refundReservedCents: { increment: amountCents } } });
  return count === 1;
}

/** What our refunds made so far; refunded amounts only grow (Stripe's charge.refunded says the same). */
async function settleRefunded(tx: Tx, orderId: string, amountCents: number) {
  const { _sum } = await tx.refund.aggregate({ where: { orderId, status: "succeeded" }, _sum: { amountCents: true } });
  const refunded = _sum.amountCents ?? 0;
  await tx.order.updateMany({ where: { id: orderId, refundedCents: { lt: refunded } }, data: { refundedCents: refunded } });
  if (refunded >= amountCents) await moveOrder(tx, orderId, "refunded");
}
