// Claiming a key: one record per (scope, key) under a unique index, and
// whoever inserts it owns the attempt. Everyone else with that key gets the
// stored outcome (replay), is told the first is still running, or, if the
// first one's lease ran out (a crash), takes the lease over and resumes from
// the record's recovery point. Every later write is checked by the lease's owner.
import { randomUUID } from "node:crypto";
import { settings, type IdempotencyConfig } from "./config.ts";
import type { AttemptRecord, Lease } from "./store.ts";

/** Every operation's first and last recovery points; the steps between are its own. */
export const STARTED = "started";
export const FINISHED = "finished";

export type Claim =
  | { kind: "owned"; attempt: AttemptRecord; lease: Lease; resumed: boolean }
  /** The finished attempt's outcome, as stored (JSON): the operation parses it with its own schema. */
  | { kind: "replay"; attempt: AttemptRecord; outcome: unknown }
  | { kind: "in_progress"; attempt: AttemptRecord; retryAfterSeconds: number }
  | { kind: "mismatch"; attempt: AttemptRecord };

/** Someone else holds the lease now (ours ran out): whatever this holder was doing must not commit. */
export class LeaseLostError extends Error {
  constructor(what: string) {
    super(`the lease on ${what} was taken over`);
  }
}

/** `traceParent`: the trace of the request that would make the attempt (W3C traceparent), kept with it. */
export type ClaimInput = { scope: string; key: string; fingerprint: string; request?: string; traceParent?: string | null };

/**
 * Claims (scope, key) for this request. The store's unique index decides who
 * wins a race: exactly one insert adds the record; every other one adds
 * nothing (no error) and reads the winner's.
 */
export async function claim<Tx>(config: IdempotencyConfig<Tx>, input: ClaimInput): Promise<Claim> {
  const { store, now: clock, ttlMs, leaseUntil } = settings(config);
  const owner = randomUUID();
  // A few rounds at most: the record can expire or change hands between reads.
  for (let round = 0; round < 5; round++) {
    const now = clock();
    // Read first: a retry (the common case of a known key) costs this one read.
    const existing = await store.find(input.scope, input.key);
    if (!existing) {
      const attempt: AttemptRecord = {
        id: randomUUID(),
        scope: input.scope,
        key: input.key,
        fingerprint: input.fingerprint,
        request: input.request ?? null,
        traceParent: input.traceParent ?? null,
        recoveryPoint: STARTED,
        leaseOwner: owner,
        lockedUntil: leaseUntil(now),
        outcome: null,
        lastError: null,
        createdAt: now,
        updatedAt: now,
        expiresAt: new Date(now.getTime() + ttlMs),
      };
      if (await store.insertIfAbsent(attempt)) return { kind: "owned", attempt, lease: { attemptId: attempt.id, owner }, resumed: false };
      continue; // Someone else inserted it first: read theirs.
    }
    if (existing.expiresAt <= now) {
      // Past retention the key means a new attempt.
      await store.deleteIf({ id: existing.id, expiredBy: now });
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
    const lockedUntil = leaseUntil(now);
    if (await store.update({ id: existing.id, leaseOwner: existing.leaseOwner, recoveryPoint: existing.recoveryPoint }, { leaseOwner: owner, lockedUntil })) {
      return { kind: "owned", attempt: { ...existing, leaseOwner: owner, lockedUntil }, lease: { attemptId: existing.id, owner }, resumed: true };
    }
  }
  throw new Error(`could not claim idempotency key ${input.key}: it keeps changing hands`);
}

/**
 * Moves the record to its next recovery point inside the phase's transaction,
 * and renews the lease. If the lease was lost, the whole phase rolls back.
 */
export async function advance<Tx>(config: IdempotencyConfig<Tx>, tx: Tx, lease: Lease, recoveryPoint: string): Promise<void> {
  if (lease.unrecorded) return;
  const { store, now, leaseUntil } = settings(config);
  const moved = await store.update({ id: lease.attemptId, leaseOwner: lease.owner }, { recoveryPoint, lockedUntil: leaseUntil(now()), lastError: null }, tx);
  if (!moved) throw new LeaseLostError(`attempt ${lease.attemptId}`);
}

/** Stores the final outcome; from now on every request with this key replays it. */
export async function finish<Tx>(config: IdempotencyConfig<Tx>, tx: Tx, lease: Lease, outcome: unknown): Promise<void> {
  if (lease.unrecorded) return;
  const done = { recoveryPoint: FINISHED, outcome: JSON.stringify(outcome), leaseOwner: null, lockedUntil: null, lastError: null };
  if (!(await config.store.update({ id: lease.attemptId, leaseOwner: lease.owner }, done, tx))) throw new LeaseLostError(`attempt ${lease.attemptId}`);
}

/**
 * Gives the lease up after a failure that is not final (a foreign service was
 * down): the next request with this key resumes at once.
 */
export async function release<Tx>(config: IdempotencyConfig<Tx>, lease: Lease, lastError: string): Promise<void> {
  if (lease.unrecorded) return;
  await config.store.update({ id: lease.attemptId, leaseOwner: lease.owner }, { lockedUntil: settings(config).now(), lastError });
}

/** Takes back a new attempt refused before its first phase: as if the key had never been sent. */
export async function withdraw<Tx>(config: IdempotencyConfig<Tx>, lease: Lease): Promise<void> {
  if (lease.unrecorded) return;
  await config.store.deleteIf({ id: lease.attemptId, leaseOwner: lease.owner, recoveryPoint: STARTED });
}

export type ReapOptions = {
  /** Records per statement (1,000): each batch is its own short transaction. */
  batch?: number;
  /** Batches per call at most (100): a backlog is worked off over several calls, never in one long one. */
  maxBatches?: number;
  /** A pause after each full batch (0 ms): a backlog is worked off beside the app's load, not instead of it. */
  pauseMs?: number;
};

/** Deletes records past their retention, batch by batch, until a batch comes back short (or maxBatches); returns how many. */
export async function reapExpired<Tx>(config: IdempotencyConfig<Tx>, { batch = 1000, maxBatches = 100, pauseMs = 0 }: ReapOptions = {}): Promise<number> {
  const now = settings(config).now();
  let count = 0;
  for (let n = 0; n < maxBatches; n++) {
    const deleted = await config.store.deleteExpired(now, batch);
    count += deleted;
    if (deleted < batch) break;
    if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
  return count;
}
