// Background upkeep of idempotency records (run by scripts/worker.ts):
// the completer finishes attempts their client abandoned, the reaper deletes
// records past their retention.
import { checkout, type CheckoutInput } from "./checkout.server";
import { db } from "./db.server";
import { FINISHED, reapExpired } from "./idempotency.server";
import { effectiveProtections } from "./demo/protections.server";

export { reapExpired };

/**
 * Attempts whose lease ran out before they finished (the client went away,
 * the process died, Stripe was down) are resumed from their recovery point,
 * exactly as a retry with the same key would.
 */
export async function completeAbandoned(limit = 20, now = new Date()): Promise<{ tried: number; completed: number }> {
  const abandoned = await db.idempotencyRecord.findMany({
    where: { recoveryPoint: { not: FINISHED }, lockedUntil: { lt: now }, expiresAt: { gt: now }, request: { not: null } },
    include: { session: { select: { protections: true } } },
    orderBy: { lockedUntil: "asc" },
    take: limit,
  });
  let completed = 0;
  for (const record of abandoned) {
    const result = await checkout({
      // The record's own key, even where the demo switched layer 2 off.
      session: { id: record.scope, protections: { ...effectiveProtections(record.session.protections), idempotencyKey: true } },
      idempotencyKey: record.key,
      input: JSON.parse(record.request!) as CheckoutInput,
    }).catch((error: unknown) => {
      console.error(`completer: attempt ${record.id} failed`, error);
      return null;
    });
    if (result?.kind === "completed") completed++;
  }
  return { tried: abandoned.length, completed };
}
