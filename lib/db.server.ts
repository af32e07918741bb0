// The database, behind one module: a Prisma client on the driver adapter that
// DATABASE_URL calls for. Both generated clients come from the same models, so
// the SQLite client's types describe either.
import { PrismaLibSql } from "@prisma/adapter-libsql";
import { PrismaPg } from "@prisma/adapter-pg";
import { Prisma, PrismaClient } from "../generated/sqlite/client";
import { PrismaClient as PostgresClient } from "../generated/postgres/client";
import { env } from "./env.server";

export { Prisma };
export type Db = PrismaClient;
export type Tx = Prisma.TransactionClient;

// The SQLite adapter runs one transaction at a time per process, so under a
// burst of requests a transaction may queue for a while before it starts.
const transactionOptions = { maxWait: 15_000, timeout: 15_000 };

function connect(): Db {
  const { database } = env();
  if (database.provider === "postgres") {
    const adapter = new PrismaPg({ connectionString: database.url });
    return new PostgresClient({ adapter, transactionOptions }) as unknown as Db;
  }
  // Concurrent writers wait for SQLite's lock instead of failing at once.
  const adapter = new PrismaLibSql({ url: database.url, timeout: 10_000 });
  return new PrismaClient({ adapter, transactionOptions });
}

// One client per process, kept across Next.js dev-server reloads.
const globalForDb = globalThis as unknown as { payonceDb?: Db };
export const db: Db = globalForDb.payonceDb ?? connect();
globalForDb.payonceDb = db;

/** A unique index refused the write (P2002): someone else got there first. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}
