// The database, behind one module: a Prisma client on the driver adapter that
// DATABASE_URL calls for. Both generated clients come from the same models, so
// the SQLite client's types describe either.
import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { Prisma, PrismaClient } from "../../generated/sqlite/client";
import { PrismaClient as PostgresClient } from "../../generated/postgres/client";
import { env } from "../env.server";
import { SharedSqlite } from "./sqlite-adapter.server";

export { Prisma };
type Db = PrismaClient;
export type Tx = Prisma.TransactionClient;

// The SQLite adapter runs one transaction at a time per process, so under a
// burst of requests a transaction may queue for a while before it starts.
const transactionOptions = { maxWait: 15_000, timeout: 15_000 };

/**
 * node-postgres' Pool.query hands its connection back with the query's error,
 * and the pool then closes it: every INSERT refused by a constraint would cost
 * a new PostgreSQL connection (a new backend process). An error the server
 * answered with, outside the connection classes, leaves the connection as
 * good as before, so it goes back to the pool.
 *
 * A connection lost under a statement (refused, cut, terminated by a restart)
 * must not go back, though: the adapter hands a transaction's connection back
 * without its error after a failed COMMIT, and the next request that took it
 * (the attempt's release of its lease, in chaos seed 1) failed as well. Every
 * statement's failure is watched, and a connection that lost one is closed
 * when it comes back, however it is handed back.
 *
 * A connection the server cuts while it is checked out and between statements
 * (a database restart) reports it as an 'error' event on its client, and an
 * event nobody listens to ends the process (it ended the worker in a chaos
 * campaign). Every client gets a listener: the client is unusable from then
 * on, its next statement fails as a lost connection (a 503, a retry), and the
 * pool drops it when it comes back.
 */
export class KeepingPool extends pg.Pool {
  private readonly lost = new WeakMap<pg.PoolClient, Error>();

  constructor(config: pg.PoolConfig) {
    super(config);
    this.on("connect", (client) => {
      client.on("error", () => {});
      const query = client.query.bind(client) as (config: pg.QueryConfig) => Promise<pg.QueryResult>;
      client.query = ((config: pg.QueryConfig) =>
        query(config).catch((error: unknown) => {
          const answered = error instanceof pg.DatabaseError && !/^(08|57P)/.test(error.code ?? "");
          if (!answered) this.lost.set(client, error as Error);
          throw error;
        })) as typeof client.query;
    });
  }

  // The adapter's use of it: connect(), awaited, for a transaction (and for query below).
  override connect = (async () => {
    const client = await super.connect();
    const release = client.release;
    client.release = (error?: Error | boolean) => release.call(client, error || this.lost.get(client));
    return client;
  }) as unknown as pg.Pool["connect"];

  // The adapter's one use of it: query(config), awaited.
  override query = (async (config: pg.QueryConfig) => {
    const client = await this.connect();
    try {
      return await client.query(config);
    } finally {
      client.release();
    }
  }) as unknown as pg.Pool["query"];
}

function connect(): Db {
  const { database } = env();
  if (database.provider === "postgres") {
    const pool = new KeepingPool({ connectionString: database.url, max: database.pool.size, connectionTimeoutMillis: database.pool.timeoutMs });
    const adapter = new PrismaPg(pool, { disposeExternalPool: true });
    return new PostgresClient({ adapter, transactionOptions }) as unknown as Db;
  }
  const adapter = new SharedSqlite({ url: database.url, timeout: database.busyTimeoutMs });
  return new PrismaClient({ adapter, transactionOptions });
}

// One client per process, kept across Next.js dev-server reloads.
const globalForDb = globalThis as unknown as { payonceDb?: Db };
export const db: Db = globalForDb.payonceDb ?? connect();
globalForDb.payonceDb = db;

// "The database could not serve this now", in the forms it arrives in:
// Prisma's codes (unreachable, timed out (SQLite locked past its busy timeout,
// too), connection closed, pool exhausted, transaction not started in time,
// write conflict, too many connections); errors of `pg` that Prisma passes
// through unwrapped (the pool's wait timed out, the connection was cut, a
// client used after that); socket errors; PostgreSQL's connection, shutdown
// and too-many-connections states.
const PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "P2028", "P2034", "P2037"]);
// Whole lines: a PrismaClientUnknownRequestError puts the message first and a backtrace after it.
const PG_MESSAGES =
  /^(timeout exceeded when trying to connect|Connection terminated( unexpectedly| due to connection timeout)?|Client has encountered a connection error and is not queryable|Client was closed and is not queryable)$/m;
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH"]);
const PG_STATES = /^(08...|57P0[123]|53300)$/;

// The driver adapter's own account of a failure (a DriverAdapterError's
// cause): SQLite's lock (SocketTimeout), a lost connection, or a PostgreSQL
// state of the kind above. Prisma wraps it in P2010 (a raw statement) or P2039;
// a COMMIT's failure (the connection cut while it ran) reaches us unwrapped.
const ADAPTER_KINDS = new Set(["SocketTimeout", "ConnectionClosed", "DatabaseNotReachable", "TooManyConnections", "TransactionWriteConflict"]);

// 55000 is many things; refusing connections (a restart, ALLOW_CONNECTIONS false) is one of them.
const REFUSING_CONNECTIONS = /is not currently accepting connections/;

type AdapterCause = { kind?: string; originalCode?: string; code?: string; message?: string };

function adapterUnavailable(cause: AdapterCause | undefined): boolean {
  const state = cause?.originalCode ?? cause?.code ?? "";
  return ADAPTER_KINDS.has(cause?.kind ?? "") || PG_STATES.test(state) || (state === "55000" && REFUSING_CONNECTIONS.test(cause?.message ?? ""));
}

/** The database's own trouble, not the request's: the same request may succeed if retried. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof Prisma.PrismaClientKnownRequestError) {
      return PRISMA_CODES.has(e.code) || adapterUnavailable((e.meta?.driverAdapterError as { cause?: AdapterCause } | undefined)?.cause);
    }
    if (e instanceof Prisma.PrismaClientInitializationError || PG_MESSAGES.test(e.message)) return true;
    if (e.name === "DriverAdapterError" && typeof e.cause === "object") return adapterUnavailable(e.cause as AdapterCause);
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && (SOCKET_CODES.has(code) || PG_STATES.test(code))) return true;
  }
  return false;
}

/**
 * INSERT … ON CONFLICT DO NOTHING, on either engine (Prisma's skipDuplicates
 * is PostgreSQL-only): true if this call inserted the row, false if a row with
 * one of its unique values was there already. The loser of a race pays one
 * statement and no error. `row` names the columns as the database spells them
 * (@map) and gives each that has no default in SQL (ids, @updatedAt).
 */
export async function insertIfAbsent(client: Tx, table: string, row: Record<string, unknown>): Promise<boolean> {
  const quoted = (name: string) => Prisma.raw(`"${name}"`);
  const columns = Prisma.join(Object.keys(row).map(quoted));
  return (await client.$executeRaw`INSERT INTO ${quoted(table)} (${columns}) VALUES (${Prisma.join(Object.values(row))}) ON CONFLICT DO NOTHING`) === 1;
}

/** A unique index refused the write (P2002): someone else got there first. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

/** A foreign key refused the write: the row it points to is gone (P2003, or a raw statement's P2010 on either engine). */
export function isForeignKeyViolation(error: unknown): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  const cause = (error.meta?.driverAdapterError as { cause?: AdapterCause } | undefined)?.cause;
  return error.code === "P2003" || cause?.kind === "ForeignKeyConstraintViolation";
}
