// Where attempts are kept: the persistence behind an interface, as the
// runner needs it and nothing more. A store keeps one record per (scope, key)
// under a unique index, and every write that moves a record is checked by its
// lease's owner, so a holder whose lease was taken over can change nothing.
// Two stores ship: ./prisma (the user's Prisma client, SQLite or PostgreSQL)
// and memoryStore() (tests, one process).

/** One idempotency record: what a key stands for, how far its attempt got, and who may move it. */
export type AttemptRecord = {
  id: string;
  /** Whose keys these are (a session, a user, an API client): a key means nothing outside its scope. */
  scope: string;
  key: string;
  /** What the key stands for: the same key must always ask for the same. */
  fingerprint: string;
  /** The request itself (JSON), so that a worker can finish an abandoned attempt. */
  request: string | null;
  /** The trace of the request that made the attempt (W3C traceparent): later requests with the key link to it. */
  traceParent: string | null;
  /** Where the attempt goes on from: STARTED, a point of the operation's own, or FINISHED. */
  recoveryPoint: string;
  /** Lease: whoever holds leaseOwner may advance the record until lockedUntil. */
  leaseOwner: string | null;
  lockedUntil: Date | null;
  /** The operation's own final outcome (JSON), parsed with its schema when replayed. */
  outcome: string | null;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** After this the key means a new attempt, and the record may be deleted. */
  expiresAt: Date;
};

/** The right to advance one record: only the holder of the lease may write it. */
export type Lease = {
  attemptId: string;
  owner: string;
  /** A run without a key has no record (a benchmark's baseline, a demo with keys off): nothing is written. */
  unrecorded?: true;
};

/** A lease's owner and the record it must still be on for a write to count. */
export type Move = { recoveryPoint: string; lockedUntil: Date | null; leaseOwner?: string | null; outcome?: string | null; lastError: string | null };

/**
 * The persistence an idempotent operation runs on. `Tx` is the store's
 * transaction (for Prisma, the interactive transaction's client): a local
 * phase's own writes and the record's move share it.
 */
export interface AttemptStore<Tx> {
  /** The record of (scope, key), if any. */
  find(scope: string, key: string): Promise<AttemptRecord | null>;
  /** Inserts `record` unless (scope, key) exists: true if this call inserted it. Losing a race is not an error. */
  insertIfAbsent(record: AttemptRecord): Promise<boolean>;
  /** Deletes the record if it is still the one found (same id, same owner, same point); true if it did. */
  deleteIf(match: { id: string; leaseOwner?: string | null; recoveryPoint?: string; expiredBy?: Date }): Promise<boolean>;
  /** Sets `move` on the record if its lease is still `owner`'s (and, given, it is still at `recoveryPoint`); true if it did. */
  update(match: { id: string; leaseOwner: string | null; recoveryPoint?: string }, move: Partial<Move>, tx?: Tx): Promise<boolean>;
  /** Runs `work` in one transaction: all of it commits, or none. */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /** Whether `error` is the store's unique index refusing a write (another attempt got there first). */
  isUniqueViolation(error: unknown): boolean;
  /**
   * Deletes at most `limit` records past their retention at `now`, in one short
   * statement (a bounded batch: its locks and its transaction stay small however
   * large the backlog); returns how many.
   */
  deleteExpired(now: Date, limit: number): Promise<number>;
}
