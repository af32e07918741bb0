// bench:scale's data set: a day of a shop at full size, written by
// PostgreSQL itself (INSERT … SELECT over generate_series), not row by row
// through the app. Rows 1..total are spread over the last 26 hours, so the
// oldest 2/26 (7.7 %) are past a 24-hour retention and the reapers have a
// backlog; the newest 0.5 % of attempts are still in flight. Per order: its
// session (4 orders a session), cart, attempt, webhook event, fulfillment job
// and one job step; beside them, browse-only sessions past their lifetime
// (one per 20 orders) for the session reaper. The load is made fast the way a
// bulk load is: the secondary indexes are dropped first and built again after
// (one sort each instead of millions of random inserts), and the foreign keys'
// triggers are off for the load's own session (session_replication_role =
// replica: the rows are consistent by construction).
import { existsSync, readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import type pg from "pg";

export const TABLES = ["Session", "Cart", "Order", "Attempt", "WebhookEvent", "Job", "JobStep"] as const;

/**
 * A UUID-shaped id that sorts by n (a primary key grows at its right edge),
 * with a tag per kind of row and a multiplicative hash of n for the rest
 * (cheap: md5 per id made the load several times slower).
 */
const id = (n: string, tag: string) => `(lpad(to_hex(${n}), 8, '0') || '-${tag}-4000-8000-' || lpad(to_hex((${n} * 2654435761) % 281474976710656), 12, '0'))`;

/** The rows i of this chunk, with their moment t and the ids and values they share: $1 first row, $2 last, $3 total, $4 now. */
const rows = `(SELECT i, t, ${id("((i + 3) / 4)", "5e55")} AS session, ${id("i", "0de0")} AS "order", ${id("i", "ca27")} AS cart,
    1800 + (i % 7) * 500 AS amount, 'customer' || (i % 100000) || '@example.com' AS email,
    'pi_' || lpad(to_hex((i * 2654435761) % 281474976710656), 24, '0') AS pi, i > $3 - $3 / 200 AS "inFlight"
  FROM (SELECT i, $4::timestamptz::timestamp - interval '26 hours' + (i::float8 / $3) * interval '26 hours' AS t
    FROM generate_series($1::bigint, $2::bigint) AS i) AS g) AS r`;

const STATEMENTS: { table: (typeof TABLES)[number]; sql: string }[] = [
  {
    table: "Session",
    sql: `INSERT INTO "Session" (id, "createdAt", "expiresAt")
      SELECT session, t, t + interval '30 days' FROM ${rows} WHERE i % 4 = 1 OR i = $1
      ON CONFLICT DO NOTHING`,
  },
  {
    table: "Session",
    sql: `INSERT INTO "Session" (id, "createdAt", "expiresAt")
      SELECT ${id("i", "b405")}, t - interval '31 days', t - interval '1 day' FROM ${rows} WHERE i % 20 = 0`,
  },
  {
    table: "Cart",
    sql: `INSERT INTO "Cart" (id, "sessionId", status, "createdAt", "updatedAt")
      SELECT cart, session, 'checked_out', t - interval '1 minute', t FROM ${rows}`,
  },
  {
    table: "Order",
    sql: `INSERT INTO "Order" (id, "sessionId", "cartId", "checkoutKey", email, "amountCents", currency, status, "paymentIntentId",
        "clientAddress", "createdAt", "updatedAt", "paidAt", "stockReleasedAt", "failedPayments")
      SELECT "order", session, cart, cart, email, amount, 'usd',
        (CASE WHEN i % 100 < 95 THEN 'paid' WHEN i % 100 < 98 THEN 'payment_failed' ELSE 'awaiting_payment' END)::"OrderStatus",
        pi, '10.0.' || (i % 250) || '.' || (i % 200), t, t + interval '2 seconds',
        CASE WHEN i % 100 < 95 THEN t + interval '2 seconds' END, CASE WHEN i % 100 BETWEEN 95 AND 97 THEN t + interval '15 minutes' END,
        CASE WHEN i % 100 BETWEEN 95 AND 97 THEN 1 ELSE 0 END
      FROM ${rows}`,
  },
  {
    table: "Attempt",
    sql: `INSERT INTO "Attempt" (id, scope, key, fingerprint, request, "recoveryPoint", "leaseOwner", "lockedUntil", outcome,
        "createdAt", "updatedAt", "expiresAt", "orderId")
      SELECT ${id("i", "a77e")}, session, gen_random_uuid()::text, lpad(to_hex((i * 2654435761) % 4294967296), 8, '0') || repeat(lpad(to_hex((i * 40503) % 65536), 4, '0'), 14),
        '{"operation":"checkout","cartId":"' || cart || '","email":"' || email || '","paymentMethod":"pm_card_visa","clientAddress":"10.0.'
          || (i % 250) || '.' || (i % 200) || '"}',
        CASE WHEN "inFlight" THEN (CASE WHEN i % 2 = 0 THEN 'order_created' ELSE 'payment_created' END) ELSE 'finished' END,
        CASE WHEN "inFlight" THEN gen_random_uuid()::text END,
        CASE WHEN "inFlight" THEN t + interval '30 seconds' END,
        CASE WHEN NOT "inFlight" THEN '{"kind":"paid","order":{"id":"' || "order" || '","status":"paid","amountCents":' || amount
          || ',"currency":"usd","email":"' || email || '","paymentIntentId":"' || pi || '"}}' END,
        t, t + interval '2 seconds', t + interval '24 hours', "order"
      FROM ${rows}`,
  },
  {
    table: "WebhookEvent",
    sql: `INSERT INTO "WebhookEvent" (provider, "eventId", type, deliveries, "receivedAt", "processedAt")
      SELECT 'stripe', 'evt_' || lpad(to_hex((i * 2654435761) % 281474976710656), 12, '0') || lpad(to_hex(i), 12, '0'),
        (ARRAY['payment_intent.succeeded', 'charge.succeeded', 'payment_intent.created'])[1 + i % 3],
        1 + (i % 50 = 0)::int, t + interval '3 seconds', t + interval '3 seconds'
      FROM ${rows}`,
  },
  {
    table: "Job",
    sql: `INSERT INTO "Job" (kind, "orderId", state, attempts, "runAfter", "createdAt", "finishedAt")
      SELECT 'fulfillment', "order", (CASE WHEN i > $3 - $3 / 1000 THEN 'queued' ELSE 'done' END)::"JobState",
        CASE WHEN i > $3 - $3 / 1000 THEN 0 ELSE 1 END, t + interval '2 seconds', t + interval '2 seconds',
        CASE WHEN i > $3 - $3 / 1000 THEN NULL ELSE t + interval '6 seconds' END
      FROM ${rows}`,
  },
];

export type FillTiming = { table: string; seconds: number };

/** The tables in two lanes of about equal work, each on a connection of its own (two cores: two loads at once). */
const LANES: (typeof TABLES)[number][][] = [
  ["Session", "Cart", "Order"],
  ["Attempt", "WebhookEvent", "Job", "JobStep"],
];

/**
 * The CPU seconds a server process has used, when the server runs on this
 * machine (/proc/<pid>/stat: utime and stime, in clock ticks of 1/100 s);
 * null otherwise. On a shared machine wall time says how busy it was, this
 * what the load itself cost.
 */
function cpuSeconds(pid: number): number | null {
  const file = `/proc/${pid}/stat`;
  if (!existsSync(file)) return null;
  const fields = readFileSync(file, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export type Fill = { tables: FillTiming[]; serverCpuSeconds: number | null };

/**
 * Adds rows first..last (of `total`) to every table, on connections from
 * `connect`; returns the seconds each table took, its indexes' rebuild and
 * ANALYZE included, and the CPU seconds the server's processes spent on it.
 */
export async function fill(connect: () => Promise<pg.Client>, first: number, last: number, total: number, now: Date): Promise<Fill> {
  const timings = new Map<string, number>();
  const timed = async (table: string, work: () => Promise<unknown>) => {
    const start = performance.now();
    await work();
    timings.set(table, (timings.get(table) ?? 0) + (performance.now() - start) / 1000);
  };
  const params = [first, last, total, now.toISOString()];
  const cpu = await Promise.all(
    LANES.map(async (tables) => {
      const client = await connect();
      const pid = Number((await client.query(`SELECT pg_backend_pid() AS pid`)).rows[0].pid);
      const cpuBefore = cpuSeconds(pid);
      await client.query(`SET session_replication_role = replica; SET synchronous_commit = off; SET maintenance_work_mem = '512MB'`);
      const indexes = new Map<string, string[]>();
      for (const table of tables) {
        const { rows: found } = await client.query<{ name: string; def: string }>(
          `SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE tablename = $1 AND indexname NOT IN (SELECT conname FROM pg_constraint)`,
          [table],
        );
        indexes.set(
          table,
          found.map((f) => f.def),
        );
        for (const { name } of found) await client.query(`DROP INDEX "${name}"`);
      }
      const jobsBefore = Number((await client.query(`SELECT coalesce(max(id), 0) AS n FROM "Job"`)).rows[0].n);
      for (const { table, sql } of STATEMENTS.filter((s) => tables.includes(s.table))) await timed(table, () => client.query(sql, params));
      if (tables.includes("JobStep")) {
        const steps = `INSERT INTO "JobStep" ("jobId", name, "finishedAt") SELECT id, 'shipment', "finishedAt" FROM "Job" WHERE state = 'done' AND id > $1`;
        await timed("JobStep", () => client.query(steps, [jobsBefore]));
      }
      for (const table of tables) {
        await timed(table, async () => {
          for (const def of indexes.get(table)!) await client.query(def);
          await client.query(`ANALYZE "${table}"`);
        });
      }
      const cpuAfter = cpuSeconds(pid);
      await client.end();
      return cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
    }),
  );
  return {
    tables: TABLES.map((table) => ({ table, seconds: timings.get(table) ?? 0 })),
    serverCpuSeconds: cpu.includes(null) ? null : cpu.reduce((a, b) => a! + b!, 0),
  };
}

export type TableSize = { table: string; rows: number; heapBytes: number; totalBytes: number; indexes: { name: string; bytes: number }[] };

/** Each table's rows (the planner's count, after ANALYZE), heap, total (indexes and TOAST included) and each index. */
export async function sizes(client: pg.Client): Promise<TableSize[]> {
  const result: TableSize[] = [];
  for (const table of TABLES) {
    const { rows: t } = await client.query(
      `SELECT reltuples::bigint AS rows, pg_relation_size(oid) AS heap, pg_total_relation_size(oid) AS total FROM pg_class WHERE oid = $1::regclass`,
      [`"${table}"`],
    );
    const { rows: ix } = await client.query<{ name: string; bytes: string }>(
      `SELECT indexrelid::regclass::text AS name, pg_relation_size(indexrelid) AS bytes FROM pg_index WHERE indrelid = $1::regclass ORDER BY 1`,
      [`"${table}"`],
    );
    result.push({
      table,
      rows: Number(t[0].rows),
      heapBytes: Number(t[0].heap),
      totalBytes: Number(t[0].total),
      indexes: ix.map((i) => ({ name: i.name.replace(/"/g, ""), bytes: Number(i.bytes) })),
    });
  }
  return result;
}
