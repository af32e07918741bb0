// What every idempotent operation is given: its store and the settings of its
// records. Nothing is read from the environment: an app passes its own.
import type { AttemptStore } from "./store.ts";

export type IdempotencyConfig<Tx> = {
  store: AttemptStore<Tx>;
  /** How long a holder may run before another request may take its attempt over (default 30 s). */
  leaseMs?: number;
  /** How long a key is remembered (default 24 h): after that it means a new attempt. */
  ttlMs?: number;
  /** The clock (tests). */
  now?: () => Date;
};

export const DEFAULT_LEASE_MS = 30_000;
export const DEFAULT_TTL_MS = 24 * 3600_000;

/** The settings with their defaults filled in. */
export function settings<Tx>(config: IdempotencyConfig<Tx>) {
  const leaseMs = config.leaseMs ?? DEFAULT_LEASE_MS;
  const now = config.now ?? (() => new Date());
  return { store: config.store, leaseMs, ttlMs: config.ttlMs ?? DEFAULT_TTL_MS, now, leaseUntil: (at: Date) => new Date(at.getTime() + leaseMs) };
}
