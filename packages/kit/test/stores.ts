// The stores every contract test runs on: memory, and Prisma on the test
// database (SQLite, or PostgreSQL when DATABASE_URL points at it). Time is
// the config's clock, so a lease or a retention runs out by moving it.
import type { IdempotencyConfig } from "../src/config.ts";
import { memoryStore } from "../src/memory-store.ts";
import { prismaStore } from "../src/prisma/store.ts";
import type { AttemptStore } from "../src/store.ts";
import { onPostgres, testDatabase } from "./database.ts";

let database: ReturnType<typeof testDatabase> | undefined;

export const STORES: { name: string; store: () => Promise<AttemptStore<unknown>> }[] = [
  { name: "memory", store: async () => memoryStore() as AttemptStore<unknown> },
  {
    name: `prisma (${onPostgres ? "PostgreSQL" : "SQLite"})`,
    store: async () => prismaStore(await (database ??= testDatabase()), { skipLocked: onPostgres }) as AttemptStore<unknown>,
  },
];

export const LEASE_MS = 5_000;

/** A config on `store` with a clock the test moves: `config.later(ms)`. */
export function withClock<Tx>(store: AttemptStore<Tx>): IdempotencyConfig<Tx> & { later(ms: number): void } {
  let now = Date.now();
  return { store, leaseMs: LEASE_MS, ttlMs: 60_000, now: () => new Date(now), later: (ms) => void (now += ms) };
}
