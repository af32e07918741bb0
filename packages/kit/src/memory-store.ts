// A store in this process's memory: for tests and examples, never for an app
// with more than one process (nothing is shared, nothing survives a restart).
// Writes take turns, as on SQLite: a transaction works on a copy of the
// records, and what it changed is put back only if its work returns.
import type { AttemptRecord, AttemptStore, Move } from "./store.ts";

/** The memory store's transaction: the records as the transaction sees them, and which it changed. */
export type MemoryTx = { records: Map<string, AttemptRecord>; changed: Set<string> };

/** A unique index refused a write in memoryStore(): what isUniqueViolation() recognises. */
export class MemoryUniqueViolation extends Error {}

type Match = { leaseOwner?: string | null; recoveryPoint?: string; expiredBy?: Date };

const keyOf = (r: { scope: string; key: string }) => `${r.scope}\u0000${r.key}`;
const byId = (map: Map<string, AttemptRecord>, id: string) => [...map.values()].find((r) => r.id === id);
const matches = (r: AttemptRecord, m: Match) =>
  (m.leaseOwner === undefined || r.leaseOwner === m.leaseOwner) &&
  (m.recoveryPoint === undefined || r.recoveryPoint === m.recoveryPoint) &&
  (m.expiredBy === undefined || r.expiresAt <= m.expiredBy);

export function memoryStore(): AttemptStore<MemoryTx> & { records(): AttemptRecord[] } {
  const records = new Map<string, AttemptRecord>();
  let queue: Promise<unknown> = Promise.resolve();
  /** One write (or transaction) at a time: the next waits for the last. */
  function turn<T>(write: () => Promise<T>): Promise<T> {
    const run = queue.then(write);
    queue = run.catch(() => {});
    return run;
  }
  function update(map: Map<string, AttemptRecord>, match: Match & { id: string }, move: Partial<Move>): string | null {
    const found = byId(map, match.id);
    if (!found || !matches(found, match)) return null;
    map.set(keyOf(found), { ...found, ...move, updatedAt: new Date() });
    return keyOf(found);
  }

  return {
    records: () => [...records.values()].map((r) => ({ ...r })),
    async find(scope, key) {
      const found = records.get(keyOf({ scope, key }));
      return found ? { ...found } : null;
    },
    insertIfAbsent: (record) =>
      turn(async () => {
        if (records.has(keyOf(record))) return false;
        records.set(keyOf(record), { ...record });
        return true;
      }),
    deleteIf: (match) =>
      turn(async () => {
        const found = byId(records, match.id);
        return Boolean(found && matches(found, match) && records.delete(keyOf(found)));
      }),
    async update(match, move, tx) {
      if (!tx) return turn(async () => update(records, match, move) !== null);
      const changed = update(tx.records, match, move);
      if (changed) tx.changed.add(changed);
      return changed !== null;
    },
    transaction: (work) =>
      turn(async () => {
        const tx: MemoryTx = { records: new Map(records), changed: new Set() };
        const result = await work(tx);
        for (const k of tx.changed) records.set(k, tx.records.get(k)!);
        return result;
      }),
    isUniqueViolation: (error) => error instanceof MemoryUniqueViolation,
    deleteExpired: (now, limit) =>
      turn(async () => {
        let count = 0;
        for (const [k, r] of records) if (count < limit && r.expiresAt <= now && records.delete(k)) count++;
        return count;
      }),
  };
}
