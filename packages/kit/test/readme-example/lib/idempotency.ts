// lib/idempotency.ts: the store and the settings every operation runs with.
import { prismaStore } from "@payonce/kit/prisma";
import { db } from "./db"; // yours: your PrismaClient

export type Tx = Parameters<Parameters<typeof db.$transaction>[0]>[0];
const store = prismaStore<Tx>(db); // { model: "attempt", table: "Attempt" } by default; on PostgreSQL add skipLocked: true
export const idempotency = () => ({ store, leaseMs: 30_000, ttlMs: 24 * 3600_000 });
