// bench:queue's backlog: our Job table and pg-boss's job table each given the
// same jobs, written by PostgreSQL itself (INSERT … SELECT over
// generate_series), not job by job through either queue's API. pg-boss's own
// bulk path, insert(jobs), takes the whole batch as one JSON argument and
// cannot write finished jobs, so its table is filled the same way as ours,
// straight into its partitioned job table (the row lands in the queue's
// partition). Per queue: `done` finished jobs (the oldest) and `queued` jobs
// ready to run, created over the last 26 hours, oldest first, one order each.
// As scripts/scale/fill.ts does, the secondary indexes are dropped before the
// load and built again after it (one sort each instead of millions of random
// inserts), foreign-key triggers are off for the load's session, and both
// tables are then VACUUMed and ANALYZEd, so neither queue's first claims pay
// for setting hint bits on a million rows the other's already had set.
import { performance } from "node:perf_hooks";
import type pg from "pg";

export type QueueFill = { queue: string; seconds: number; rows: number; tableMB: number; indexesMB: number };

/** The rows 1..done+queued: $1 done, $2 queued, $3 now; i ≤ done are finished. */
const series = `(SELECT i, i <= $1 AS done, $3::timestamptz - interval '26 hours' + (i::float8 / ($1 + $2)) * interval '26 hours' AS t
  FROM generate_series(1, $1::bigint + $2::bigint) AS i) AS g`;

const orderId = `lpad(to_hex(i), 8, '0') || '-0de0-4000-8000-' || lpad(to_hex((i * 2654435761) % 281474976710656), 12, '0')`;

/** Drops the table's secondary indexes (not those behind a constraint), runs `load`, builds them again, then VACUUM ANALYZE. */
async function withIndexesRebuilt(client: pg.Client, schema: string, table: string, load: () => Promise<unknown>) {
  const { rows: indexes } = await client.query<{ name: string; def: string }>(
    `SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE schemaname = $1 AND tablename = $2
       AND indexname NOT IN (SELECT conname FROM pg_constraint)`,
    [schema, table],
  );
  for (const { name } of indexes) await client.query(`DROP INDEX "${schema}"."${name}"`);
  await load();
  for (const { def } of indexes) await client.query(def);
  await client.query(`VACUUM ANALYZE "${schema}"."${table}"`);
}

async function measured(client: pg.Client, queue: string, schema: string, table: string, load: () => Promise<unknown>): Promise<QueueFill> {
  const start = performance.now();
  await client.query(`SET session_replication_role = replica; SET synchronous_commit = off; SET maintenance_work_mem = '512MB'`);
  await withIndexesRebuilt(client, schema, table, load);
  const seconds = (performance.now() - start) / 1000;
  const { rows } = await client.query(
    `SELECT reltuples::bigint AS rows, pg_relation_size(oid) AS heap, pg_indexes_size(oid) AS indexes FROM pg_class WHERE oid = $1::regclass`,
    [`"${schema}"."${table}"`],
  );
  await client.query(`SET session_replication_role = origin`);
  return { queue, seconds, rows: Number(rows[0].rows), tableMB: Number(rows[0].heap) / 1048576, indexesMB: Number(rows[0].indexes) / 1048576 };
}

/** Ours: lib/worker/jobs.server.ts's Job table, as the fulfillment job leaves it (done: one attempt, finished; Prisma's timestamps are UTC without a zone). */
export function fillOurs(client: pg.Client, done: number, queued: number, now: Date) {
  return measured(client, "ours", "public", "Job", () =>
    client.query(
      `INSERT INTO "Job" (kind, "orderId", state, attempts, "runAfter", "createdAt", "finishedAt")
        SELECT 'fulfillment', ${orderId}, (CASE WHEN done THEN 'done' ELSE 'queued' END)::"JobState",
          CASE WHEN done THEN 1 ELSE 0 END, u, u, CASE WHEN done THEN u + interval '4 seconds' END
        FROM (SELECT *, t AT TIME ZONE 'UTC' AS u FROM ${series}) AS r`,
      [done, queued, now.toISOString()],
    ),
  );
}

/**
 * pg-boss's: the queue's partition of pgboss.job, as send() and complete()
 * leave it (data: the order; done: state completed, with started_on and
 * completed_on; the queue's policy on every row, as send() copies it).
 */
export async function fillPgBoss(client: pg.Client, queue: string, done: number, queued: number, now: Date) {
  const { rows } = await client.query<{ partition: string; policy: string }>(`SELECT partition_name AS partition, policy FROM pgboss.queue WHERE name = $1`, [
    queue,
  ]);
  const { partition, policy } = rows[0]!;
  return measured(client, "pg-boss", "pgboss", partition, () =>
    client.query(
      `INSERT INTO pgboss.job (id, name, data, state, start_after, created_on, started_on, completed_on, keep_until, policy)
        SELECT gen_random_uuid(), $4, jsonb_build_object('orderId', ${orderId}),
          (CASE WHEN done THEN 'completed' ELSE 'created' END)::pgboss.job_state,
          t, t, CASE WHEN done THEN t END, CASE WHEN done THEN t + interval '4 seconds' END, t + interval '14 days', $5
        FROM ${series}`,
      [done, queued, now.toISOString(), queue, policy],
    ),
  );
}
