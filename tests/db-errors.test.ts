// Which errors mean "the database could not serve this now" (a 503 and a
// retry), in the forms Prisma and pg raise them; anything else is not.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isDatabaseUnavailable, Prisma } from "../lib/db/db.server";

const prismaError = (code: string) => new Prisma.PrismaClientKnownRequestError("x", { code, clientVersion: "7" });
const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });
/** A raw statement's failure (insertIfAbsent), as Prisma passes on the driver adapter's account of it. */
const rawFailure = (cause: Record<string, string>) =>
  new Prisma.PrismaClientKnownRequestError("Raw query failed.", {
    code: "P2010",
    clientVersion: "7",
    meta: { driverAdapterError: { name: "DriverAdapterError", cause } },
  });

/** The driver adapter's error as Prisma lets it through (a COMMIT's failure): its cause is the adapter's account, not an Error. */
const adapterError = (cause: Record<string, string>) => Object.assign(new Error(cause.message ?? cause.kind), { name: "DriverAdapterError", cause });

describe("isDatabaseUnavailable", () => {
  it("recognises the database's own trouble", () => {
    for (const error of [
      prismaError("P1001"), // unreachable
      prismaError("P1008"), // timed out, SQLite's lock too
      prismaError("P2024"), // pool timeout
      prismaError("P2028"), // transaction not started in time
      new Error("timeout exceeded when trying to connect"), // pg pool exhausted
      new Error("Connection terminated unexpectedly"), // pg connection cut
      withCode("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED"),
      withCode("terminating connection due to administrator command", "57P01"), // server shutting down
      withCode("sorry, too many clients already", "53300"),
      new Error("wrapped", { cause: new Error("Connection terminated unexpectedly") }),
      rawFailure({ kind: "SocketTimeout", originalCode: "5" }), // SQLite locked, in a raw statement
      rawFailure({ kind: "postgres", code: "57P01" }),
      // Found by `npm run chaos -- --seed 337671727 --db postgres`: a database that refuses new
      // connections (restarting, ALLOW_CONNECTIONS false) answered the API with empty 500s.
      rawFailure({ kind: "postgres", code: "55000", message: 'database "shop" is not currently accepting connections' }),
      prismaError("P2037"), // too many connections
      new Error("Client was closed and is not queryable"), // pg: a client used after the pool ended it
      // Chaos seed 1 (issue 25): a connection cut while COMMIT ran; Prisma passes the adapter's error on unwrapped.
      adapterError({ kind: "postgres", code: "57P01", message: "terminating connection due to administrator command" }),
      adapterError({ kind: "ConnectionClosed" }),
      adapterError({ kind: "DatabaseNotReachable" }),
      new Prisma.PrismaClientUnknownRequestError("Connection terminated unexpectedly\n  at backtrace", { clientVersion: "7" }),
    ]) {
      assert.equal(isDatabaseUnavailable(error), true, String(error));
    }
  });

  it("leaves everything else alone", () => {
    for (const error of [
      prismaError("P2002"),
      prismaError("P2025"),
      rawFailure({ kind: "UniqueConstraintViolation" }),
      rawFailure({ kind: "postgres", code: "22P02" }),
      rawFailure({ kind: "postgres", code: "55000", message: "cannot refresh materialized view concurrently" }),
      adapterError({ kind: "UniqueConstraintViolation" }),
      adapterError({ kind: "postgres", code: "22P02", message: "invalid input syntax" }),
      new Prisma.PrismaClientUnknownRequestError("Something else went wrong", { clientVersion: "7" }),
      new Error("boom"),
      withCode("bad input", "22P02"),
      "a string",
      null,
    ]) {
      assert.equal(isDatabaseUnavailable(error), false, String(error));
    }
  });
});
