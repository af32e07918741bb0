// bench:scale's data set: a day of a shop at full size, written by the
// database itself (INSERT … SELECT over generate_series), not row by row
// through the app. Rows 1..total are spread over the last 26 hours, so the
// oldest 2/26 (7.7 %) are past a 24-hour retention and the reapers have a
// backlog; the newest 0.5 % of attempts are still in flight. Per order: its
// session (4 orders a session), cart, attempt, webhook event, fulfillment job
// and one job step; beside them, browse-only sessions past their lifetime
// (one per 20 orders) for the session reaper. The rows are described here
// once, in the engine's dialect (scripts/scale/engine.ts). The load is made
// fast the way a bulk load is: the secondary indexes are dropped first and
// built again after (one sort each instead of millions of random inserts),
// with the engine's bulk-load settings (scripts/scale/postgres.ts, sqlite.ts).
import { performance } from "node:perf_hooks";
import type { Dialect, Engine, Table } from "./engine";

/** The INSERTs of one chunk, in the engine's dialect: $1 first row, $2 last, $3 total, $4 now. */
function statements(d: Dialect): { table: Table; sql: string }[] {
  /**
   * A UUID-shaped id that sorts by n (a primary key grows at its right edge),
   * with a tag per kind of row and a multiplicative hash of n for the rest
   * (cheap: md5 per id made the load several times slower).
   */
  const id = (n: string, tag: string) => `(${d.hex(n, 8)} || '-${tag}-4000-8000-' || ${d.hex(`(${n} * 2654435761) % 281474976710656`, 12)})`;
  /** The rows i of this chunk, with their moment t and the ids and values they share. */
  const rows = `(SELECT i, t, ${id("((i + 3) / 4)", "5e55")} AS session, ${id("i", "0de0")} AS "order", ${id("i", "ca27")} AS cart,
      1800 + (i % 7) * 500 AS amount, 'customer' || (i % 100000) || '@example.com' AS email,
      'pi_' || ${d.hex("(i * 2654435761) % 281474976710656", 24)} AS pi, i > $3 - $3 / 200 AS "inFlight"
    FROM ${d.series} AS g) AS r`;
  return [
    {
      table: "Session",
      sql: `INSERT INTO "Session" (id, "createdAt", "expiresAt")
        SELECT session, ${d.at(0)}, ${d.at(30 * 86400)} FROM ${rows} WHERE i % 4 = 1 OR i = $1
        ON CONFLICT DO NOTHING`,
    },
    {
      table: "Session",
      sql: `INSERT INTO "Session" (id, "createdAt", "expiresAt")
        SELECT ${id("i", "b405")}, ${d.at(-31 * 86400)}, ${d.at(-86400)} FROM ${rows} WHERE i % 20 = 0`,
    },
    {
      table: "Cart",
      sql: `INSERT INTO "Cart" (id, "sessionId", status, "createdAt", "updatedAt")
        SELECT cart, session, 'checked_out', ${d.at(-60)}, ${d.at(0)} FROM ${rows}`,
    },
    {
      table: "Order",
      sql: `INSERT INTO "Order" (id, "sessionId", "cartId", "checkoutKey", email, "amountCents", currency, status, "paymentIntentId",
          "clientAddress", "createdAt", "updatedAt", "paidAt", "stockReleasedAt", "failedPayments")
        SELECT "order", session, cart, cart, email, amount, 'usd',
          ${d.enumValue(`CASE WHEN i % 100 < 95 THEN 'paid' WHEN i % 100 < 98 THEN 'payment_failed' ELSE 'awaiting_payment' END`, "OrderStatus")},
          pi, '10.0.' || (i % 250) || '.' || (i % 200), ${d.at(0)}, ${d.at(2)},
          CASE WHEN i % 100 < 95 THEN ${d.at(2)} END, CASE WHEN i % 100 BETWEEN 95 AND 97 THEN ${d.at(900)} END,
          CASE WHEN i % 100 BETWEEN 95 AND 97 THEN 1 ELSE 0 END
        FROM ${rows}`,
    },
    {
      table: "Attempt",
      sql: `INSERT INTO "Attempt" (id, scope, key, fingerprint, request, "recoveryPoint", "leaseOwner", "lockedUntil", outcome,
          "createdAt", "updatedAt", "expiresAt", "orderId")
        SELECT ${id("i", "a77e")}, session, ${d.uuid}, ${d.hex("(i * 2654435761) % 4294967296", 8)} || ${d.repeat(d.hex("(i * 40503) % 65536", 4), 14)},
          '{"operation":"checkout","cartId":"' || cart || '","email":"' || email || '","paymentMethod":"pm_card_visa","clientAddress":"10.0.'
            || (i % 250) || '.' || (i % 200) || '"}',
          CASE WHEN "inFlight" THEN (CASE WHEN i % 2 = 0 THEN 'order_created' ELSE 'payment_created' END) ELSE 'finished' END,
          CASE WHEN "inFlight" THEN ${d.uuid} END,
          CASE WHEN "inFlight" THEN ${d.at(30)} END,
          CASE WHEN NOT "inFlight" THEN '{"kind":"paid","order":{"id":"' || "order" || '","status":"paid","amountCents":' || amount
            || ',"currency":"usd","email":"' || email || '","paymentIntentId":"' || pi || '"}}' END,
          ${d.at(0)}, ${d.at(2)}, ${d.at(86400)}, "order"
        FROM ${rows}`,
    },
    {
      table: "WebhookEvent",
      sql: `INSERT INTO "WebhookEvent" (provider, "eventId", type, deliveries, "receivedAt", "processedAt")
        SELECT 'stripe', 'evt_' || ${d.hex("(i * 2654435761) % 281474976710656", 12)} || ${d.hex("i", 12)},
          CASE i % 3 WHEN 0 THEN 'payment_intent.succeeded' WHEN 1 THEN 'charge.succeeded' ELSE 'payment_intent.created' END,
          CASE WHEN i % 50 = 0 THEN 2 ELSE 1 END, ${d.at(3)}, ${d.at(3)}
        FROM ${rows}`,
    },
    {
      table: "Job",
      sql: `INSERT INTO "Job" (kind, "orderId", state, attempts, "runAfter", "createdAt", "finishedAt")
        SELECT 'fulfillment', "order", ${d.enumValue(`CASE WHEN i > $3 - $3 / 1000 THEN 'queued' ELSE 'done' END`, "JobState")},
          CASE WHEN i > $3 - $3 / 1000 THEN 0 ELSE 1 END, ${d.at(2)}, ${d.at(2)},
          CASE WHEN i > $3 - $3 / 1000 THEN NULL ELSE ${d.at(6)} END
        FROM ${rows}`,
    },
  ];
}

export type FillTiming = { table: string; seconds: number };
export type Fill = { tables: FillTiming[]; cpuSeconds: number | null };

/**
 * Adds rows first..last (of `total`) to every table, each of the engine's
 * lanes on a connection of its own; returns the seconds each table took, its
 * indexes' rebuild and ANALYZE included, and the CPU seconds the database
 * spent on it.
 */
export async function fill(engine: Engine, first: number, last: number, total: number, now: Date): Promise<Fill> {
  const timings = new Map<string, number>();
  const timed = async (table: string, work: () => Promise<unknown>) => {
    const start = performance.now();
    await work();
    timings.set(table, (timings.get(table) ?? 0) + (performance.now() - start) / 1000);
  };
  const params = [first, last, total, now.toISOString()];
  const all = statements(engine.dialect);
  const cpu = await Promise.all(
    engine.lanes.map(async (tables) => {
      const connection = await engine.connect();
      const cpuSoFar = await engine.cpuMeter(connection);
      for (const sql of engine.load.before) await connection.query(sql);
      const indexes = new Map<string, string[]>();
      for (const table of tables) {
        const found = await connection.query<{ name: string; def: string }>(engine.indexesSql, [table]);
        indexes.set(
          table,
          found.map((f) => f.def),
        );
        for (const { name } of found) await connection.query(`DROP INDEX "${name}"`);
      }
      const [{ n: jobsBefore }] = (await connection.query<{ n: number }>(`SELECT coalesce(max(id), 0) AS n FROM "Job"`)) as [{ n: number }];
      for (const { table, sql } of all.filter((s) => tables.includes(s.table))) await timed(table, () => connection.query(sql, params));
      if (tables.includes("JobStep")) {
        const steps = `INSERT INTO "JobStep" ("jobId", name, "finishedAt") SELECT id, 'shipment', "finishedAt" FROM "Job" WHERE state = 'done' AND id > $1`;
        await timed("JobStep", () => connection.query(steps, [Number(jobsBefore)]));
      }
      for (const table of tables) {
        await timed(table, async () => {
          for (const def of indexes.get(table)!) await connection.query(def);
          await connection.query(`ANALYZE "${table}"`);
        });
      }
      for (const sql of engine.load.after) await connection.query(sql);
      const cpuSeconds = cpuSoFar();
      await connection.end();
      return cpuSeconds;
    }),
  );
  return {
    tables: engine.lanes.flat().map((table) => ({ table, seconds: timings.get(table) ?? 0 })),
    cpuSeconds: cpu.includes(null) ? null : cpu.reduce((a, b) => a! + b!, 0),
  };
}
