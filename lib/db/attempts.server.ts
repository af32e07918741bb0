// The shop's attempts: @payonce/kit's store on the shop's Prisma client (its
// copy of the kit's model, the table Attempt), with the lease and
// retention the environment sets. Every idempotent operation of the shop runs
// with `...attempts()`. The shop's copy of the model keeps its relation to the
// session (decision 0013), so a key sent in a session the reaper just deleted
// is refused here, as the session's end, not as a foreign-key failure.
import "server-only";
import {
  RefusedInput,
  runIdempotent,
  type AttemptStore,
  type IdempotencyConfig,
  type IdempotentOperation,
  type IdempotentResult,
  type Lease as KitLease,
} from "@payonce/kit";
import { prismaStore } from "@payonce/kit/prisma";
import { db, isForeignKeyViolation, type Tx } from "./db.server";
import { env } from "../env.server";
import { caughtBy } from "../telemetry/spans.server";

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

let store: AttemptStore<Tx> | undefined;

/** Made on first use: the engine (PostgreSQL's reaper skips locked rows) is the environment's. */
function shopStore(): AttemptStore<Tx> {
  if (store) return store;
  const prisma = prismaStore<Tx>(db, { skipLocked: env().database.provider === "postgres" });
  return (store = {
    ...prisma,
    insertIfAbsent: (record) =>
      prisma.insertIfAbsent(record).catch((error: unknown) => {
        throw isForeignKeyViolation(error) ? new SessionEndedError() : error;
      }),
  });
}

/** The store and settings every idempotent operation of the shop runs on. */
export function attempts(): IdempotencyConfig<Tx> {
  const { leaseMs, ttlMs } = env().idempotency;
  return { store: shopStore(), leaseMs, ttlMs };
}

/**
 * runIdempotent, for every operation of the shop: with tracing on, the request's span also says
 * when the key stopped a duplicate (payonce.duplicate.caught_by = idempotencyKey), a replay or an
 * attempt running elsewhere, so a person filters a trace list on it.
 */
export async function runAttempt<Outcome>(operation: IdempotentOperation<Outcome, Tx>): Promise<IdempotentResult<Outcome>> {
  const result = await runIdempotent(operation);
  if ((result.kind === "completed" && result.replayed) || result.kind === "in_progress") caughtBy("idempotencyKey");
  return result;
}

/** A lease on one of the shop's attempts: its phases' transactions are the shop's Prisma transactions. */
export type Lease = KitLease<Tx>;

/**
 * Links the attempt to the order it made (the shop's own column beside the
 * kit's): in the phase's transaction, by the lease's owner, so it commits
 * with the phase's move or not at all.
 */
export async function linkOrder(tx: Tx, lease: Lease, orderId: string): Promise<void> {
  if (lease.unrecorded) return;
  await tx.attempt.updateMany({ where: { id: lease.attemptId, leaseOwner: lease.owner }, data: { orderId } });
}
