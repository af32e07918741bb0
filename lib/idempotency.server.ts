// Layer 2: the attempt (the idempotency record). One row per (session, key) under a unique
// index; whoever inserts it owns the attempt. Everyone else with that key gets
// the stored result (replay), is told the first is still running, or, if the
// first one's lease ran out (a crash), takes the lease over and resumes from
// the record's recovery point.
import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { canonicalJson } from "./canonical-json";
import { db, insertIfAbsent, isForeignKeyViolation, type Tx } from "./db.server";
import { env } from "./env.server";
import { RefusedInput } from "./refused-input";
import type { Attempt } from "../generated/sqlite/client";

export type { Attempt };

/** Every operation's first and last recovery points; the steps between are its own. */
export const STARTED = "started";
export const FINISHED = "finished";

/**
 * The right to advance one record: only the holder of the lease may write it.
 * `unrecorded`: a run without a key has no record (the demo's layer 2 off, a
 * benchmark's baseline); its lease names the run, and there is nothing to write.
 */
export type Lease = { attemptId: string; owner: string; unrecorded?: true };

export type Claim =
  | { kind: "owned"; attempt: Attempt; lease: Lease; resumed: boolean }
  /** The finished attempt's outcome, as stored (JSON): the operation parses it with its own schema. */
  | { kind: "replay"; attempt: Attempt; outcome: unknown }
  | { kind: "in_progress"; attempt: Attempt; retryAfterSeconds: number }
  | { kind: "mismatch"; attempt: Attempt };

/** Someone else holds the lease now (ours ran out): whatever this holder was doing must not commit. */
export class LeaseLostError extends Error {
  constructor(what: string) {
    super(`the lease on ${what} was taken over`);
  }
}

/**
 * The session the key was sent in is gone: it expired, and the session reaper
 * deleted it (it had nothing to keep) after this request read it. Nothing was
 * written; the same request in a new session is a new attempt.
 */
export class SessionEndedError extends RefusedInput {
  constructor() {
    super("Your session has ended. Reload the page to start a new one; nothing was charged.");
  }
}

/** Hash of what the request asks for; the same key must always ask the same. */
export function requestFingerprint(method: string, path: string, body: unknown): string {
  return createHash("sha256")
    .update(`${method.toUpperCase()} ${path}\n${canonicalJson(body)}`)
    .digest("hex");
}

const leaseUntil = (now: Date) => new Date(now.getTime() + env().idempotency.leaseMs);

/**
 * Claims (session, key) for this request. The unique index decides who wins a
 * race: exactly one insert adds the row; every other one adds nothing (no
 * error) and reads the winner's.
 */
export async function claim(input: { sessionId: string; key: string; fingerprint: string; request?: string }): Promise<Claim> {
  const owner = randomUUID();
  // A few rounds at most: the row can expire or change hands between reads.
  for (let round = 0; round < 5; round++) {
    const now = new Date();
    // Read first: a retry (the common case of a known key) costs this one read.
    const existing = await db.attempt.findUnique({
      where: { sessionId_key: { sessionId: input.sessionId, key: input.key } },
    });
    if (!existing) {
      const attempt: Attempt = {
        id: randomUUID(),
        sessionId: input.sessionId,
        key: input.key,
        fingerprint: input.fingerprint,
        request: input.request ?? null,
        recoveryPoint: STARTED,
        leaseOwner: owner,
        lockedUntil: leaseUntil(now),
        outcome: null,
        lastError: null,
        orderId: null,
        createdAt: now,
        updatedAt: now,
        expiresAt: new Date(now.getTime() + env().idempotency.ttlMs),
      };
      const { sessionId, ...columns } = attempt;
      const inserted = await insertIfAbsent(db, "IdempotencyRecord", { ...columns, scope: sessionId }).catch((error: unknown) => {
        throw isForeignKeyViolation(error) ? new SessionEndedError() : error;
      });
      if (inserted) {
        return { kind: "owned", attempt, lease: { attemptId: attempt.id, owner }, resumed: false };
      }
      continue; // Someone else inserted it first: read theirs.
    }
    if (existing.expiresAt <= now) {
      // Past retention the key means a new attempt.
      await db.attempt.deleteMany({ where: { id: existing.id, expiresAt: { lte: now } } });
      continue;
    }
    if (existing.fingerprint !== input.fingerprint) return { kind: "mismatch", attempt: existing };
    if (existing.recoveryPoint === FINISHED) {
      return { kind: "replay", attempt: existing, outcome: JSON.parse(existing.outcome ?? "null") };
    }
    if (existing.lockedUntil && existing.lockedUntil > now) {
      const seconds = Math.ceil((existing.lockedUntil.getTime() - now.getTime()) / 1000);
      return { kind: "in_progress", attempt: existing, retryAfterSeconds: Math.max(1, Math.min(seconds, 5)) };
    }
    // The previous holder is gone (crashed, or gave up on a failing foreign
    // call): take the lease over, but only if nobody else just did.
    const taken = await db.attempt.updateMany({
      where: { id: existing.id, leaseOwner: existing.leaseOwner, recoveryPoint: existing.recoveryPoint },
      data: { leaseOwner: owner, lockedUntil: leaseUntil(now) },
    });
    if (taken.count === 1) {
      const record = { ...existing, leaseOwner: owner, lockedUntil: leaseUntil(now) };
      return { kind: "owned", attempt: record, lease: { attemptId: existing.id, owner }, resumed: true };
    }
  }
  throw new Error(`could not claim idempotency key ${input.key}: it keeps changing hands`);
}

/**
 * Moves the record to its next recovery point inside the phase's transaction,
 * and renews the lease. If the lease was lost, the whole phase rolls back.
 */
export async function advance(tx: Tx, lease: Lease, data: { recoveryPoint: string; orderId?: string }): Promise<void> {
  if (lease.unrecorded) return;
  const { count } = await tx.attempt.updateMany({
    where: { id: lease.attemptId, leaseOwner: lease.owner },
    data: { ...data, lockedUntil: leaseUntil(new Date()), lastError: null },
  });
  if (count !== 1) throw new LeaseLostError(`attempt ${lease.attemptId}`);
}

/** Stores the final outcome; from now on every request with this key replays it. */
export async function finish(tx: Tx, lease: Lease, outcome: unknown): Promise<void> {
  if (lease.unrecorded) return;
  const { count } = await tx.attempt.updateMany({
    where: { id: lease.attemptId, leaseOwner: lease.owner },
    data: {
      recoveryPoint: FINISHED,
      outcome: JSON.stringify(outcome),
      leaseOwner: null,
      lockedUntil: null,
      lastError: null,
    },
  });
  if (count !== 1) throw new LeaseLostError(`attempt ${lease.attemptId}`);
}

/**
 * Gives the lease up after a failure that is not final (the payment service
 * was down): the next request with this key resumes at once.
 */
export async function release(lease: Lease, lastError: string): Promise<void> {
  if (lease.unrecorded) return;
  await db.attempt.updateMany({
    where: { id: lease.attemptId, leaseOwner: lease.owner },
    data: { lockedUntil: new Date(), lastError },
  });
}

/** Takes back a new attempt refused before its first phase: as if the key had never been sent. */
export async function withdraw(lease: Lease): Promise<void> {
  if (lease.unrecorded) return;
  await db.attempt.deleteMany({ where: { id: lease.attemptId, leaseOwner: lease.owner, recoveryPoint: STARTED } });
}

/** Deletes records past their retention; returns how many. */
export async function reapExpired(now = new Date()): Promise<number> {
  const { count } = await db.attempt.deleteMany({ where: { expiresAt: { lte: now } } });
  return count;
}
