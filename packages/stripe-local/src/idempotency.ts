// Stripe's idempotency rules, as documented at docs.stripe.com/api/idempotent_requests:
// POST only; keys up to 255 characters; the first result (status and body,
// 500s included) is replayed for 24 hours; the same key with other parameters
// is a 400 idempotency_error; a key whose first request is still running is a
// 409; requests that fail validation, and 409s, are not stored.
import { createHash } from "node:crypto";
import stringify from "safe-stable-stringify";
import type { StoredKey } from "./store.ts";

export const RETENTION_MS = 24 * 3600 * 1000;
export const MAX_KEY_LENGTH = 255;

type Entry = { fingerprint: string; createdAt: number; result?: { status: number; body: unknown } };

export type Lookup =
  | { kind: "new"; complete(status: number, body: unknown): void; forget(): void }
  | { kind: "replay"; status: number; body: unknown }
  | { kind: "in_use" }
  | { kind: "mismatch" };

/**
 * The same request, whatever order its parameters came in, has the same
 * fingerprint: safe-stable-stringify writes object keys sorted at every depth
 * (and leaves out undefined values, as JSON does).
 */
export function requestFingerprint(method: string, path: string, params: Record<string, unknown>): string {
  return createHash("sha256")
    .update(`${method} ${path} ${stringify(params)}`)
    .digest("hex");
}

/** Where finished keys are kept across restarts (store.ts); a key still running is not. */
export type KeyPersistence = { save(entry: StoredKey): void };

export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly persistence: KeyPersistence = { save: () => {} }) {}

  restore(saved: StoredKey) {
    this.entries.set(saved.key, { fingerprint: saved.fingerprint, createdAt: saved.createdAt, result: { status: saved.status, body: saved.body } });
  }

  private persist(key: string, entry: Entry) {
    if (entry.result) this.persistence.save({ key, fingerprint: entry.fingerprint, createdAt: entry.createdAt, ...entry.result });
  }

  lookup(key: string, fingerprint: string, at = Date.now()): Lookup {
    const existing = this.entries.get(key);
    if (existing && at - existing.createdAt < RETENTION_MS) {
      if (!existing.result) return { kind: "in_use" };
      if (existing.fingerprint !== fingerprint) return { kind: "mismatch" };
      return { kind: "replay", ...existing.result };
    }
    const entry: Entry = { fingerprint, createdAt: at };
    this.entries.set(key, entry);
    return {
      kind: "new",
      complete: (status, body) => {
        // A snapshot: the object answered may change later, its first answer does not.
        entry.result = { status, body: structuredClone(body) };
        this.persist(key, entry);
      },
      forget: () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    };
  }

  /** Test hook (control API): pretend the key was first used `ms` earlier. */
  age(key: string, ms: number): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    entry.createdAt -= ms;
    this.persist(key, entry);
    return true;
  }
}
