// The database module's two promises for "insert or join the existing":
// insertIfAbsent answers without an error on either engine, and on PostgreSQL
// an error the server answers with does not cost the pool its connection.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, it } from "node:test";
import { db, insertIfAbsent, isUniqueViolation } from "../lib/db.server";
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
});
