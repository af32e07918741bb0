// The store on the app's own Prisma client (SQLite or PostgreSQL), for the
// model in attempt.prisma pasted into the app's schema. The insert is
// INSERT … ON CONFLICT DO NOTHING, which both engines accept: the loser of a
// race pays one statement and no exception (on PostgreSQL an exception would
// also cost node-postgres' pool its connection). Every write that moves a
// record names the lease's owner in its WHERE: a holder whose lease was taken
// over changes nothing. The kit imports nothing of Prisma: the client's
// model delegate and tagged-template $executeRaw are all it uses.
import type { AttemptRecord, AttemptStore, Move } from "../store.ts";

/** What the store calls on a client or a transaction: the model's delegate. */
type Delegate = {
  findUnique(args: { where: { scope_key: { scope: string; key: string } } }): PromiseLike<AttemptRecord | null>;
  updateMany(args: { where: object; data: object }): PromiseLike<{ count: number }>;
  deleteMany(args: { where: object }): PromiseLike<{ count: number }>;
  findMany(args: { where: object; select: { id: true }; take: number }): PromiseLike<{ id: string }[]>;
};

/** A Prisma client, as far as the store needs one; `Tx` is what its interactive transactions are given. */
export type PrismaClientLike<Tx> = {
  $transaction<R>(work: (tx: Tx) => Promise<R>, options?: never): PromiseLike<R>;
  $executeRaw(query: TemplateStringsArray, ...values: unknown[]): PromiseLike<number>;
};

export type PrismaStoreOptions = {
  /** The model's delegate on the client: `attempt` for `model Attempt` (the snippet's). */
  model?: string;
  /** The model's table, as the database spells it (`@@map`): `Attempt` unless you mapped it. */
  table?: string;
  /**
   * PostgreSQL (or any engine with FOR UPDATE SKIP LOCKED): the reaper's batch is
   * one DELETE that passes over records a transaction holds, never waiting on
   * one. Otherwise (SQLite, one writer at a time) a batch is read, then deleted.
   */
  skipLocked?: boolean;
};

/** The columns the store writes, in the order of its INSERT. */
const COLUMNS = [
  "id",
  "scope",
  "key",
  "fingerprint",
  "request",
  "traceParent",
  "recoveryPoint",
  "leaseOwner",
  "lockedUntil",
  "outcome",
  "lastError",
  "createdAt",
  "updatedAt",
  "expiresAt",
] as const satisfies readonly (keyof AttemptRecord)[];

/** A template strings array, as a tagged template would pass it: the form $executeRaw binds values in. */
function template(parts: string[]): TemplateStringsArray {
  return Object.assign([...parts], { raw: [...parts] });
}

const where = (match: { id: string; leaseOwner?: string | null; recoveryPoint?: string; expiredBy?: Date }) => ({
  id: match.id,
  ...(match.leaseOwner !== undefined && { leaseOwner: match.leaseOwner }),
  ...(match.recoveryPoint !== undefined && { recoveryPoint: match.recoveryPoint }),
  ...(match.expiredBy !== undefined && { expiresAt: { lte: match.expiredBy } }),
});

export function prismaStore<Tx>(
  client: PrismaClientLike<Tx>,
  { model = "attempt", table = "Attempt", skipLocked = false }: PrismaStoreOptions = {},
): AttemptStore<Tx> {
  const delegate = (on: unknown): Delegate => {
    const found = (on as Record<string, Delegate | undefined>)[model];
    if (!found) throw new Error(`this Prisma client has no model "${model}": paste @payonce/kit/attempt.prisma into your schema, then generate`);
    return found;
  };
  const records = delegate(client);
  const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
  const insertOf = (columns: readonly (keyof AttemptRecord)[]) => ({
    columns,
    sql: template([`INSERT INTO ${quote(table)} (${columns.map(quote).join(", ")}) VALUES (`, ...columns.slice(1).map(() => ", "), ") ON CONFLICT DO NOTHING"]),
  });
  // With no trace context to keep (tracing off), the column is left out: a table made before it existed still works.
  const traced = insertOf(COLUMNS);
  const untraced = insertOf(COLUMNS.filter((c) => c !== "traceParent"));
  const reapBatch = template([
    `DELETE FROM ${quote(table)} WHERE "id" IN (SELECT "id" FROM ${quote(table)} WHERE "expiresAt" <= `,
    " LIMIT ",
    " FOR UPDATE SKIP LOCKED)",
  ]);
  const deleteExpired = async (now: Date, limit: number) => {
    if (skipLocked) return client.$executeRaw(reapBatch, now, limit);
    const ids = (await records.findMany({ where: { expiresAt: { lte: now } }, select: { id: true }, take: limit })).map((r) => r.id);
    return ids.length === 0 ? 0 : (await records.deleteMany({ where: { id: { in: ids }, expiresAt: { lte: now } } })).count;
  };

  return {
    find: (scope, key) => records.findUnique({ where: { scope_key: { scope, key } } }) as Promise<AttemptRecord | null>,
    insertIfAbsent: async (record) => {
      const { sql, columns } = record.traceParent ? traced : untraced;
      return (await client.$executeRaw(sql, ...columns.map((c) => record[c]))) === 1;
    },
    deleteIf: async (match) => (await records.deleteMany({ where: where(match) })).count === 1,
    update: async (match, move: Partial<Move>, tx) => (await delegate(tx ?? client).updateMany({ where: where(match), data: move })).count === 1,
    transaction: (work) => client.$transaction(work) as Promise<never>,
    isUniqueViolation: (error) => (error as { code?: unknown } | null)?.code === "P2002",
    deleteExpired,
  };
}
