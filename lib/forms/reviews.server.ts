// Reviews of a paid order's products, a one-phase user of the kit: the form's
// attempt key makes a resubmitted review one attempt, and a unique business
// key (one review per product and order) makes even two attempts one review.
import "server-only";
import { attempts, runAttempt } from "../db/attempts.server";
import { z } from "zod";
import { databaseId, idempotencyKeySchema, text } from "../orders/checkout-schema";
import { db, type Tx } from "../db/db.server";
import { PROTECTED } from "../policy";
import { RefusedInput, requestFingerprint, uniquePhase } from "@payonce/kit";

export const reviewFormSchema = z.object({
  orderId: text(64).pipe(z.string().min(1, "The order is missing. Reload the page.")),
  productId: z.coerce.number().pipe(databaseId),
  rating: z.coerce.number({ error: "Choose 1 to 5 stars." }).int().min(1, "Choose 1 to 5 stars.").max(5, "Choose 1 to 5 stars."),
  text: text(2000).pipe(z.string().trim().min(3, "Write a few words (3 characters at least).")),
  idempotencyKey: idempotencyKeySchema,
});

export type ReviewFields = Omit<z.infer<typeof reviewFormSchema>, "idempotencyKey">;

export const reviewOutcomeSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("reviewed"), reviewId: z.string() }),
  /** This product of this order had its review already (another attempt, another tab). */
  z.object({ kind: z.literal("already_reviewed") }),
]);

export type ReviewOutcome = z.infer<typeof reviewOutcomeSchema>;

export async function reviewProduct(session: { id: string }, key: string, fields: ReviewFields, policy = PROTECTED) {
  const item = await db.orderItem.findFirst({
    where: { orderId: fields.orderId, productId: fields.productId, order: { sessionId: session.id, status: "paid" } },
  });
  if (!item) throw new RefusedInput("You can review the products of your own paid orders only.");
  const reviewKey = policy.uniqueKey(`${fields.orderId}:${fields.productId}`);

  return runAttempt({
    name: "review",
    ...attempts(),
    scope: session.id,
    key: policy.attemptKey(key),
    fingerprint: requestFingerprint("POST", "/reviews", fields),
    outcome: reviewOutcomeSchema,
    phases: {
      started: (lease) =>
        uniquePhase<ReviewOutcome, Tx>(
          lease,
          async (tx) => {
            const review = await tx.review.create({ data: { ...fields, reviewKey } });
            return { finish: { kind: "reviewed", reviewId: review.id } };
          },
          { kind: "already_reviewed" },
        ),
    },
  });
}
