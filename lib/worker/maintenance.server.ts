// Background upkeep (run by scripts/worker.ts): the completer finishes
// attempts their client abandoned; the reapers delete attempts past their
// retention, webhook events and finished jobs past theirs, sessions past their
// lifetime with nothing left to keep, and the limits' counters past their
// window. Every reaper deletes in bounded batches, each its own short
// statement, and at most so many batches a sweep: a day's backlog (millions of
// rows at a real shop's rate) is worked off over sweeps, never in one DELETE
// that holds its locks, and its transaction, for minutes (docs/scale.md).
import "server-only";
import { checkout, storedCheckout } from "../orders/checkout.server";
import { db, Prisma } from "../db/db.server";
import { env } from "../env.server";
import { FINISHED, reapExpired as reapExpiredAttempts, type ReapOptions } from "@payonce/kit";
import { attempts } from "../db/attempts.server";
import { reapRateCounts } from "../http/rate-limit.server";
import type { CrashHook } from "../orders/crash-points";
import { PROTECTED, type Policy } from "../policy";
import { REFUND_OPERATION, refundOrder, type RefundFields } from "../orders/refunds.server";

export { reapRateCounts };

/**
 * How the reapers sweep: 1,000 rows a statement, at most 100 statements a
 * sweep, 50 ms between them. At 10M rows a batch of attempts takes ~25 ms, so
 * a backlog goes at ~13,000 rows a second while the shop's claims keep their
 * share of the database; a 100-orders/s shop needs 100 a second (docs/scale.md).
 */
export const REAPING: ReapOptions = { batch: 1000, maxBatches: 100, pauseMs: 50 };

/** Deletes attempts past their retention, in batches (the kit's reapExpired); returns how many. */
export const reapExpired = (options = REAPING) => reapExpiredAttempts(attempts(), options);

/**
 * Batch after batch of `batch(limit)`, a pause between them, until one comes
 * back short or maxBatches ran; returns how many rows went.
 */
async function inBatches(deleteBatch: (limit: number) => Promise<number>, { batch = 1000, maxBatches = 100, pauseMs = 0 }: ReapOptions): Promise<number> {
  let count = 0;
  for (let n = 0; n < maxBatches; n++) {
    const deleted = await deleteBatch(batch);
    count += deleted;
    if (deleted < batch) break;
    if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
  return count;
}

/**
 * Webhook events received before `before` (WEBHOOK_EVENT_RETENTION_DAYS ago):
 * their rows only deduplicate redeliveries, and Stripe stops redelivering after
 * three days. Oldest first, by id (ids grow with receivedAt: the primary key
 * finds them, no index of their own). PostgreSQL skips rows a delivery holds.
 */
export async function reapWebhookEvents(before = daysAgo(env().retention.webhookEventDays), options = REAPING): Promise<number> {
  return inBatches(async (limit) => {
    if (env().database.provider === "postgres") {
      return db.$executeRaw`DELETE FROM "WebhookEvent" WHERE id IN (
        SELECT id FROM "WebhookEvent" WHERE "receivedAt" <= ${before} ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED)`;
    }
    const rows = await db.webhookEvent.findMany({ where: { receivedAt: { lte: before } }, select: { id: true }, orderBy: { id: "asc" }, take: limit });
    return (await db.webhookEvent.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } })).count;
  }, options);
}

/**
 * Jobs done before `before` (JOB_RETENTION_DAYS ago), their steps with them
 * (cascade). A dead job stays for someone to look at. Oldest first, by id.
 */
export async function reapFinishedJobs(before = daysAgo(env().retention.jobDays), options = REAPING): Promise<number> {
  return inBatches(async (limit) => {
    if (env().database.provider === "postgres") {
      return db.$executeRaw`DELETE FROM "Job" WHERE id IN (
        SELECT id FROM "Job" WHERE state = 'done' AND "finishedAt" <= ${before} ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED)`;
    }
    const rows = await db.job.findMany({ where: { state: "done", finishedAt: { lte: before } }, select: { id: true }, orderBy: { id: "asc" }, take: limit });
    return (await db.job.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } })).count;
  }, options);
}

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);

/**
 * Deletes sessions past their lifetime (SESSION_LIFETIME_DAYS; rows from
 * before sessions expired count from createdAt) that have nothing to keep: no
 * order (an order is a record of the shop's, paid or not) and no attempt left
 * (an idempotency key still within its retention keeps its session until the
 * attempt reaper has deleted it). What goes with them: their carts, timeline
 * events and demo switches; the customer account a session was signed in to stays.
 */
export async function reapExpiredSessions(now = new Date(), batch = 500): Promise<number> {
  const createdBefore = new Date(now.getTime() - env().limits.sessionLifetimeMs);
  const expired = { OR: [{ expiresAt: { lte: now } }, { expiresAt: null, createdAt: { lte: createdBefore } }] };
  const nothingToKeep = { orders: { none: {} }, attempts: { none: {} } };
  // SQLite runs one writer at a time: the DELETE judges "nothing to keep" again as it deletes. A batch, as on PostgreSQL.
  if (env().database.provider !== "postgres") {
    const ids = (await db.session.findMany({ where: { ...expired, ...nothingToKeep }, select: { id: true }, take: batch })).map((s) => s.id);
    return ids.length === 0 ? 0 : (await db.session.deleteMany({ where: { id: { in: ids }, ...nothingToKeep } })).count;
  }
  // PostgreSQL: lock first, judge after. A DELETE that judged "nothing to keep" from its own
  // snapshot waited on a checkout's lock on the session row, then deleted the session, and the
  // cascade took the attempt that checkout had just committed. The rows are locked here (waiting
  // for any checkout that holds them), and the next statement's snapshot sees what it committed.
  // The batch is chosen by "nothing to keep" too: chosen by expiry alone, a batch's worth of
  // kept sessions came first in every sweep, which then deleted nothing, ever again.
  // NOT EXISTS by hand: Prisma's `none` is NOT IN over every order's session id, a hash of the
  // whole Order table per batch (0.3 s at 10M orders: docs/scale.md); this is two index probes a session.
  const keepsNothing = Prisma.sql`NOT EXISTS (SELECT 1 FROM "Order" o WHERE o."sessionId" = s.id) AND NOT EXISTS (SELECT 1 FROM "Attempt" a WHERE a.scope = s.id)`;
  return db.$transaction(async (tx) => {
    const candidates = await tx.$queryRaw<{ id: string }[]>`SELECT s.id FROM "Session" s
      WHERE (s."expiresAt" <= ${now} OR (s."expiresAt" IS NULL AND s."createdAt" <= ${createdBefore})) AND ${keepsNothing} LIMIT ${batch}`;
    const ids = candidates.map((s) => s.id);
    if (ids.length === 0) return 0;
    await tx.$queryRaw`SELECT id FROM "Session" WHERE id IN (${Prisma.join(ids)}) FOR UPDATE`;
    return tx.$executeRaw`DELETE FROM "Session" s WHERE s.id IN (${Prisma.join(ids)}) AND ${keepsNothing}`;
  });
}

/** What completeAbandoned's caller hands in: every layer on, and no crash, unless it says otherwise. */
export type CompleterOptions = {
  /** At most this many attempts per sweep (20). */
  limit?: number;
  /** Leases that ran out before this (now). */
  now?: Date;
  /** The policy an attempt's session runs under. */
  policy?: (sessionId: string) => Promise<Policy>;
  /** Crash tests: handed on to each checkout resumed. */
  crashAfter?: CrashHook;
};

/**
 * Attempts whose lease ran out before they finished (the client went away,
 * the process died, Stripe was down) are resumed from their recovery point,
 * exactly as a retry with the same key would.
 */
export async function completeAbandoned({ limit = 20, now = new Date(), ...options }: CompleterOptions = {}): Promise<{ tried: number; completed: number }> {
  const abandoned = await db.attempt.findMany({
    where: { recoveryPoint: { not: FINISHED }, lockedUntil: { lt: now }, expiresAt: { gt: now }, request: { not: null } },
    orderBy: { lockedUntil: "asc" },
    take: limit,
  });
  let completed = 0;
  for (const attempt of abandoned) {
    const result = await resume(attempt.scope, attempt.key, attempt.request!, options).catch((error: unknown) => {
      console.error(`completer: attempt ${attempt.id} failed`, error);
      return null;
    });
    if (result?.kind === "completed") completed++;
  }
  return { tried: abandoned.length, completed };
}

/** Runs the operation the stored request is for again, with the attempt's key (and its return URL and client address). */
async function resume(sessionId: string, key: string, stored: string, { policy: policyOf, crashAfter }: CompleterOptions) {
  const session = { id: sessionId };
  // The attempt's own key, whatever the session's policy does with keys.
  const policy: Policy = { ...((await policyOf?.(sessionId)) ?? PROTECTED), attemptKey: PROTECTED.attemptKey };
  const { operation, ...request } = JSON.parse(stored) as { operation?: string };
  if (operation === REFUND_OPERATION) return refundOrder(session, key, request as RefundFields, policy);
  return checkout({ session, policy, idempotencyKey: key, ...storedCheckout(stored), crashAfter });
}
