// The kit's store and settings, on this app's Prisma client: every idempotent
// operation runs with them.
import "server-only";
import { prismaStore } from "@payonce/kit/prisma";
import { db, type Tx } from "./db.server";

export const idempotency = {
  // The Attempt model pasted from @payonce/kit/attempt.prisma (prisma/schema.prisma).
  store: prismaStore<Tx>(db),
  // Longer than the slowest phase: the welcome e-mail's call gives up after 5 s.
  leaseMs: 15_000,
  // How long a key is remembered.
  ttlMs: 24 * 3600_000,
};
