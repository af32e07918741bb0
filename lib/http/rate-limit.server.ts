// Counters that every app instance shares (several instances, one database):
// fixed windows, one row per limit, subject and window, raised by a single
// INSERT … ON CONFLICT DO UPDATE (Prisma's native upsert), so concurrent hits
// never lose a count. Why not rate-limiter-flexible: docs/decisions/0012-client-limits.md.
import "server-only";
import { db, type Tx } from "../db/db.server";
import { env } from "../env.server";

export type Count = { hits: number; retryAfterSeconds: number };

/** One more hit on `scope` for `subject` in the current window of `windowMs`: the hits so far, this one included. */
export async function countHit(scope: string, subject: string, windowMs: number, client: Tx = db, now = Date.now()): Promise<Count> {
  const window = Math.floor(now / windowMs);
  const expiresAt = new Date((window + 1) * windowMs);
  const key = `${scope}:${subject}:${window}`;
  const { hits } = await client.rateCount.upsert({ where: { key }, create: { key, expiresAt }, update: { hits: { increment: 1 } } });
  return { hits, retryAfterSeconds: Math.max(1, Math.ceil((expiresAt.getTime() - now) / 1000)) };
}

/** What a refusal past a limit tells the client: when its window ends. */
export function tryAgainIn(retryAfterSeconds: number): string {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  return `try again in ${minutes} minute${minutes === 1 ? "" : "s"}`;
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

/**
 * The worker's sweep: counters past their window. On PostgreSQL it never
 * waits for a counter some transaction holds: a checkout holds its session's
 * counter, then takes its address's (serializeOn), and one DELETE of them all,
 * locking in its scan's order, could take the address's first and wait for
 * the session's: a deadlock, and the checkout's 503. Counters in use are
 * skipped (the next sweep takes them), in batches, each its own statement.
 * In no order: a statement that skips what is locked never waits, so the
 * order it locks in cannot deadlock, and any expired counters will do.
 * SQLite deletes in batches too: one long DELETE would hold its one writer.
 */
export async function reapRateCounts(now = new Date(), batch = 500): Promise<number> {
  let count = 0;
  for (;;) {
    const deleted =
      env().database.provider === "postgres"
        ? await db.$executeRaw`DELETE FROM "RateCount" WHERE key IN (
      SELECT key FROM "RateCount" WHERE "expiresAt" <= ${now} LIMIT ${batch} FOR UPDATE SKIP LOCKED)`
        : await deleteBatch(now, batch);
    count += deleted;
    if (deleted < batch) return count;
  }
}

/** SQLite (one writer at a time): a batch of expired counters read, then deleted, each its own short statement. */
async function deleteBatch(now: Date, batch: number): Promise<number> {
  const keys = (await db.rateCount.findMany({ where: { expiresAt: { lte: now } }, select: { key: true }, take: batch })).map((c) => c.key);
  return keys.length === 0 ? 0 : (await db.rateCount.deleteMany({ where: { key: { in: keys }, expiresAt: { lte: now } } })).count;
}
