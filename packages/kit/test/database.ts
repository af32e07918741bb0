// The kit's tests on a real database: a Prisma client generated from the
// model users paste (prisma/<engine>, made by the root's `npm run setup`),
// on PostgreSQL when DATABASE_URL points at it (a database of its own on that
// server), SQLite otherwise (a scratch file of its own). Never the shop's
// database: its Attempt table has the shop's own links (a session per scope).
// The table is made here as the user's migration would make it.
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after } from "node:test";
import pg from "pg";
import { PrismaLibSql } from "@prisma/adapter-libsql";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/sqlite/client.ts";
import { PrismaClient as PostgresClient } from "./generated/postgres/client.ts";

export const onPostgres = /^postgres(ql)?:/.test(process.env.DATABASE_URL ?? "");

const TABLE = {
  sqlite: `CREATE TABLE IF NOT EXISTS "Attempt" (
    "id" TEXT NOT NULL PRIMARY KEY, "scope" TEXT NOT NULL, "key" TEXT NOT NULL, "fingerprint" TEXT NOT NULL, "request" TEXT, "traceParent" TEXT,
    "recoveryPoint" TEXT NOT NULL, "leaseOwner" TEXT, "lockedUntil" DATETIME, "outcome" TEXT, "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, "updatedAt" DATETIME NOT NULL, "expiresAt" DATETIME NOT NULL)`,
  postgres: `CREATE TABLE IF NOT EXISTS "Attempt" (
    "id" TEXT NOT NULL PRIMARY KEY, "scope" TEXT NOT NULL, "key" TEXT NOT NULL, "fingerprint" TEXT NOT NULL, "request" TEXT, "traceParent" TEXT,
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

/** A database of its own on DATABASE_URL's PostgreSQL server, dropped after the file's tests. */
async function postgresUrl(): Promise<string> {
  const name = `payonce_kit_${randomBytes(4).toString("hex")}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  };
  await admin(`CREATE DATABASE ${name}`);
  cleanups.push(() => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A client on the test database, with the Attempt table made; disconnected after the file's tests. */
export async function testDatabase(): Promise<PrismaClient> {
  const client = onPostgres
    ? (new PostgresClient({ adapter: new PrismaPg({ connectionString: await postgresUrl() }) }) as unknown as PrismaClient)
    : new PrismaClient({ adapter: new PrismaLibSql({ url: sqliteUrl() }) });
  cleanups.push(() => client.$disconnect());
  await client.$executeRawUnsafe(TABLE[onPostgres ? "postgres" : "sqlite"]);
  await client.$executeRawUnsafe(INDEX);
  return client;
}
