// The database module's two promises for "insert or join the existing":
// insertIfAbsent answers without an error on either engine, and on PostgreSQL
// an error the server answers with does not cost the pool its connection.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, it } from "node:test";
import { db, insertIfAbsent, isUniqueViolation, KeepingPool } from "../lib/db/db.server";
import { env } from "../lib/env.server";
import { newSession } from "./helpers";

const onPostgres = env().database.provider === "postgres";

describe("insertIfAbsent", () => {
  it("inserts once, then answers false for the same unique value, and its dates read back as written", async () => {
    const key = `test:${randomUUID()}`;
    const createdAt = new Date("2026-11-28T12:34:56.789Z");
    const shipment = { key, orderId: "o1", trackingNumber: "PO1", createdAt };
    assert.equal(await insertIfAbsent(db, "Shipment", shipment), true);
    assert.equal(await insertIfAbsent(db, "Shipment", { ...shipment, trackingNumber: "PO2" }), false);
    const rows = await db.shipment.findMany({ where: { key } });
    assert.deepEqual(
      rows.map((r) => [r.trackingNumber, r.createdAt.toISOString()]),
      [["PO1", createdAt.toISOString()]],
    );
  });
});

describe("the PostgreSQL pool", { skip: onPostgres ? false : "PostgreSQL only" }, () => {
  const backend = async () => (await db.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`)[0]!.pid;

  it("keeps its connection when the server refuses a statement (a unique violation)", async () => {
    const { id } = await newSession();
    const before = await backend();
    for (let i = 0; i < 20; i++) {
      await assert.rejects(db.session.create({ data: { id } }), (error) => isUniqueViolation(error));
    }
    // One request at a time takes the same idle connection, unless the pool closed it.
    assert.equal(await backend(), before);
  });

  // Found by `npm run chaos -- --seed 187143064 --db postgres`: the database restarted while a
  // connection was checked out between two statements; node-postgres told that connection's
  // client, which had no 'error' listener, and the unhandled event ended the worker's process.
  it("chaos seed 187143064: a connection the server cuts while it is checked out fails its next statement, not the process", async () => {
    const uncaught: unknown[] = [];
    const record = (error: unknown) => uncaught.push(error);
    process.on("uncaughtException", record);
    const pool = new KeepingPool({ connectionString: env().database.url, max: 1 });
    try {
      const client = await pool.connect();
      const { pid } = (await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!;
      await db.$queryRaw`SELECT pg_terminate_backend(${pid}::int)`;
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual(uncaught, []);
      await assert.rejects(client.query("SELECT 1"));
      client.release();
      assert.equal((await pool.query({ text: "SELECT 1 AS one" })).rows[0].one, 1, "the pool serves again, on a new connection");
    } finally {
      process.off("uncaughtException", record);
      await pool.end();
    }
  });
});
