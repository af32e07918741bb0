// The kit's tests on a real database: a Prisma client generated from the
// model users paste (prisma/<engine>, made by the root's `npm run setup`),
// on PostgreSQL when DATABASE_URL points at it, SQLite otherwise (a scratch
// file of its own: DATABASE_URL's file is the shop's, whose Attempt table ties
// a scope to a session; on PostgreSQL, for the same reason, a schema of its
// own in DATABASE_URL's database). The table is made here as the user's
// migration would make it.
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after } from "node:test";
import { PrismaLibSql } from "@prisma/adapter-libsql";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/sqlite/client.ts";
import { PrismaClient as PostgresClient } from "./generated/postgres/client.ts";

/** PostgreSQL: the kit's table lives here, apart from the shop's. */
const SCHEMA = "kit_test";

export const onPostgres = /^postgres(ql)?:/.test(process.env.DATABASE_URL ?? "");

const TABLE = {
  sqlite: `CREATE TABLE IF NOT EXISTS "Attempt" (
    "id" TEXT NOT NULL PRIMARY KEY, "scope" TEXT NOT NULL, "key" TEXT NOT NULL, "fingerprint" TEXT NOT NULL, "request" TEXT,
    "recoveryPoint" TEXT NOT NULL, "leaseOwner" TEXT, "lockedUntil" DATETIME, "outcome" TEXT, "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, "updatedAt" DATETIME NOT NULL, "expiresAt" DATETIME NOT NULL)`,
  postgres: `CREATE TABLE IF NOT EXISTS "Attempt" (
    "id" TEXT NOT NULL PRIMARY KEY, "scope" TEXT NOT NULL, "key" TEXT NOT NULL, "fingerprint" TEXT NOT NULL, "request" TEXT,
    "recoveryPoint" TEXT NOT NULL, "leaseOwner" TEXT, "lockedUntil" TIMESTAMP(3), "outcome" TEXT, "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP, "updatedAt" TIMESTAMP(3) NOT NULL, "expiresAt" TIMESTAMP(3) NOT NULL)`,
};
/** What to undo after the file's tests (registered here, at the top: `after` inside a test would run after that test). */
const cleanups: (() => unknown)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const INDEX = `CREATE UNIQUE INDEX IF NOT EXISTS "Attempt_scope_key_key" ON "Attempt"("scope", "key")`;

function sqliteUrl(): string {
  const file = path.join(tmpdir(), `payonce-kit-${randomBytes(4).toString("hex")}.db`);
  cleanups.push(() => ["", "-wal", "-shm", "-journal"].forEach((s) => rmSync(`${file}${s}`, { force: true })));
  return `file:${file}`;
}

/** A client on the test database, with the Attempt table made; disconnected after the file's tests. */
export async function testDatabase(): Promise<PrismaClient> {
  const client = onPostgres
    ? (new PostgresClient({
        adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL, options: `-c search_path=${SCHEMA}` }, { schema: SCHEMA }),
      }) as unknown as PrismaClient)
    : new PrismaClient({ adapter: new PrismaLibSql({ url: sqliteUrl() }) });
  cleanups.push(() => client.$disconnect());
  if (onPostgres) await client.$executeRawUnsafe(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
  await client.$executeRawUnsafe(TABLE[onPostgres ? "postgres" : "sqlite"]);
  await client.$executeRawUnsafe(INDEX);
  return client;
}
