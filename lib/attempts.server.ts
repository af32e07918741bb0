// The shop's attempts: @payonce/kit's store on the shop's Prisma client (its
// copy of the kit's model is the table IdempotencyRecord), with the lease and
// retention the environment sets. Every idempotent operation of the shop runs
// with `...attempts()`.
import "server-only";
import { type IdempotencyConfig, type Lease as KitLease } from "@payonce/kit";
import { prismaStore } from "@payonce/kit/prisma";
import { db, type Tx } from "./db.server";
import { env } from "./env.server";

const store = prismaStore<Tx>(db, { table: "IdempotencyRecord" });

/** The store and settings every idempotent operation of the shop runs on. */
export function attempts(): IdempotencyConfig<Tx> {
  const { leaseMs, ttlMs } = env().idempotency;
  return { store, leaseMs, ttlMs };
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
