// Background upkeep of attempts (idempotency records; run by scripts/worker.ts):
// the completer finishes attempts their client abandoned, the reaper deletes
// attempts past their retention.
import "server-only";
import { checkout, type CheckoutInput } from "./checkout.server";
import { db } from "./db.server";
import { FINISHED, reapExpired } from "./idempotency.server";
import { effectiveProtections } from "./demo/protections.server";
import type { Protections } from "./demo/protections";
import { REFUND_OPERATION, refundOrder, type RefundFields } from "./refunds.server";

export { reapExpired };

/**
 * Attempts whose lease ran out before they finished (the client went away,
 * the process died, Stripe was down) are resumed from their recovery point,
 * exactly as a retry with the same key would.
 */
export async function completeAbandoned(limit = 20, now = new Date()): Promise<{ tried: number; completed: number }> {
  const abandoned = await db.attempt.findMany({
    where: { recoveryPoint: { not: FINISHED }, lockedUntil: { lt: now }, expiresAt: { gt: now }, request: { not: null } },
    include: { session: { select: { protections: true } } },
    orderBy: { lockedUntil: "asc" },
    take: limit,
  });
  let completed = 0;
  for (const attempt of abandoned) {
    // The attempt's own key, even where the demo switched layer 2 off.
    const session = { id: attempt.sessionId, protections: { ...effectiveProtections(attempt.session.protections), idempotencyKey: true } };
    const result = await resume(session, attempt.key, JSON.parse(attempt.request!)).catch((error: unknown) => {
      console.error(`completer: attempt ${attempt.id} failed`, error);
      return null;
    });
    if (result?.kind === "completed") completed++;
  }
  return { tried: abandoned.length, completed };
}

/** Runs the operation the stored request is for again, with the attempt's key. */
function resume(
  session: { id: string; protections: Protections },
  key: string,
  { operation, returnUrl, ...request }: { operation?: string; returnUrl?: string },
) {
  if (operation === REFUND_OPERATION) return refundOrder(session, key, request as RefundFields);
  return checkout({ session, idempotencyKey: key, input: request as CheckoutInput, returnUrl });
}
