// Counters that every app instance shares (several instances, one database):
// fixed windows, one row per limit, subject and window, raised by a single
// INSERT … ON CONFLICT DO UPDATE (Prisma's native upsert), so concurrent hits
// never lose a count. Why not rate-limiter-flexible: docs/decisions/0012-client-limits.md.
import "server-only";
import { db, type Tx } from "./db.server";

export type Count = { hits: number; retryAfterSeconds: number };

/** One more hit on `scope` for `subject` in the current window of `windowMs`: the hits so far, this one included. */
export async function countHit(scope: string, subject: string, windowMs: number, client: Tx = db, now = Date.now()): Promise<Count> {
  const window = Math.floor(now / windowMs);
  const expiresAt = new Date((window + 1) * windowMs);
  const key = `${scope}:${subject}:${window}`;
  const { hits } = await client.rateCount.upsert({ where: { key }, create: { key, expiresAt }, update: { hits: { increment: 1 } } });
  return { hits, retryAfterSeconds: Math.max(1, Math.ceil((expiresAt.getTime() - now) / 1000)) };
}

/**
 * Makes the rest of the caller's transaction wait for any other transaction
 * that serialized on `key`, until it ends (a row lock on PostgreSQL; SQLite
 * has one writer at a time anyway): a check-then-write runs one at a time.
 */
export async function serializeOn(tx: Tx, key: string, heldForMs: number): Promise<void> {
  const expiresAt = new Date(Date.now() + heldForMs);
  await tx.rateCount.upsert({ where: { key }, create: { key, expiresAt }, update: { hits: { increment: 1 }, expiresAt } });
}

/** The worker's sweep: counters past their window. */
export async function reapRateCounts(now = new Date()): Promise<number> {
  const { count } = await db.rateCount.deleteMany({ where: { expiresAt: { lte: now } } });
  return count;
}
