// bench:scale on PostgreSQL (scripts/scale/engine.ts): its dialect of the
// fill's SQL, its bulk-load settings, the server's CPU time and the sizes
// from its catalogue. The load is fast the way a bulk load is: two
// connections side by side (two cores), the foreign keys' triggers off for
// the load's own sessions (session_replication_role = replica: the rows are
// consistent by construction), no wait for the WAL flush at commit, and half
// a GB of memory for each index build.
import { existsSync, readFileSync } from "node:fs";
import pg from "pg";
import { TABLES, type Connection, type Engine, type TableSize } from "./engine";

async function connect(): Promise<Connection> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  return {
    query: async <R>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as R[],
    end: () => client.end(),
  };
}

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

/** Each table's rows (the planner's count, after ANALYZE), heap, total (indexes and TOAST included) and each index. */
async function sizes(connection: Connection): Promise<TableSize[]> {
  const result: TableSize[] = [];
  for (const table of TABLES) {
    const [t] = await connection.query<{ rows: string; heap: string; total: string }>(
      `SELECT reltuples::bigint AS rows, pg_relation_size(oid) AS heap, pg_total_relation_size(oid) AS total FROM pg_class WHERE oid = $1::regclass`,
      [`"${table}"`],
    );
    const ix = await connection.query<{ name: string; bytes: string }>(
      `SELECT indexrelid::regclass::text AS name, pg_relation_size(indexrelid) AS bytes FROM pg_index WHERE indrelid = $1::regclass ORDER BY 1`,
      [`"${table}"`],
    );
    result.push({
      table,
      rows: Number(t!.rows),
      heapBytes: Number(t!.heap),
      totalBytes: Number(t!.total),
      indexes: ix.map((i) => ({ name: i.name.replace(/"/g, ""), bytes: Number(i.bytes) })),
    });
  }
  return result;
}

export const postgres: Engine = {
  name: "PostgreSQL",
  dialect: {
    series: `(SELECT i, $4::timestamptz::timestamp - interval '26 hours' + (i::float8 / $3) * interval '26 hours' AS t
      FROM generate_series($1::bigint, $2::bigint) AS i)`,
    hex: (expr, digits) => `lpad(to_hex(${expr}), ${digits}, '0')`,
    at: (seconds) => (seconds === 0 ? "t" : `t + interval '${seconds} seconds'`),
    uuid: "gen_random_uuid()::text",
    enumValue: (expr, type) => `(${expr})::"${type}"`,
    repeat: (expr, times) => `repeat(${expr}, ${times})`,
  },
  lanes: [
    ["Session", "Cart", "Order"],
    ["Attempt", "WebhookEvent", "Job", "JobStep"],
  ],
  loadNote:
    "PostgreSQL's INSERT … SELECT over generate_series, two connections, foreign keys' triggers off (session_replication_role = replica), synchronous_commit off; secondary indexes built after; ANALYZE",
  connect,
  load: { before: [`SET session_replication_role = replica; SET synchronous_commit = off; SET maintenance_work_mem = '512MB'`], after: [] },
  indexesSql: `SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE tablename = $1 AND indexname NOT IN (SELECT conname FROM pg_constraint)`,
  cpuOf: "server",
  cpuMeter: async (connection) => {
    const [{ pid }] = (await connection.query<{ pid: number }>(`SELECT pg_backend_pid() AS pid`)) as [{ pid: number }];
    const before = cpuSeconds(pid);
    return () => {
      const now = cpuSeconds(pid);
      return before === null || now === null ? null : now - before;
    };
  },
  sizes,
  sizesNote: "pg_relation_size, per index, and pg_total_relation_size; rows: the planner's count after ANALYZE",
};
