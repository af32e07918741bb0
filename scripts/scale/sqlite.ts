// bench:scale on SQLite (scripts/scale/engine.ts): its dialect of the fill's
// SQL, its bulk-load settings and the sizes from dbstat. SQLite has one
// writer, so the load is one lane on one connection of its own (libsql, as
// the app's client uses, opened on the world's file), all of it one
// transaction: foreign keys off for it (the rows are consistent by
// construction), no fsync (synchronous = OFF), a 512 MiB page cache and sorts
// in memory for the index builds; afterwards the WAL is checkpointed into the
// file and truncated, so the measured reads do not go through a GB of WAL,
// and the connection's settings are put back to this build's defaults
// (foreign_keys 1, synchronous FULL, cache_size -2000, temp_store DEFAULT).
// SQLite runs in the world's own process, so its CPU time is that process's.
import Database from "libsql";
import { TABLES, type Connection, type Engine, type TableSize } from "./engine";

async function connect(): Promise<Connection> {
  const database = new Database(process.env.DATABASE_URL!.replace(/^file:/, ""));
  // PostgreSQL's $n placeholders as SQLite's ?n; whole numbers bound as integers (a JS number binds as REAL).
  const bind = (params: unknown[]) => params.map((p) => (typeof p === "number" && Number.isInteger(p) ? BigInt(p) : p));
  return {
    query: async <R>(sql: string, params: unknown[] = []) => {
      const statement = database.prepare(sql.replace(/\$(\d+)/g, "?$1"));
      if (statement.reader) return statement.all(...bind(params)) as R[];
      statement.run(...bind(params));
      return [];
    },
    end: async () => {
      database.close();
    },
  };
}

/** Each table's rows (counted), its own b-tree and each index's (its primary key's too), from dbstat: every page of the file, by b-tree. */
async function sizes(connection: Connection): Promise<TableSize[]> {
  const trees = await connection.query<{ name: string; table: string; type: string; bytes: number }>(
    `SELECT s.name AS name, m.tbl_name AS "table", m.type AS type, SUM(s.pgsize) AS bytes
      FROM dbstat AS s JOIN sqlite_schema AS m ON m.name = s.name GROUP BY s.name ORDER BY s.name`,
  );
  const result: TableSize[] = [];
  for (const table of TABLES) {
    const [{ rows }] = (await connection.query<{ rows: number }>(`SELECT count(*) AS rows FROM "${table}"`)) as [{ rows: number }];
    const own = trees.filter((t) => t.table === table);
    const indexes = own.filter((t) => t.type === "index").map((t) => ({ name: t.name, bytes: t.bytes }));
    const heapBytes = own.find((t) => t.type === "table")?.bytes ?? 0;
    result.push({ table, rows, heapBytes, totalBytes: own.reduce((s, t) => s + t.bytes, 0), indexes });
  }
  return result;
}

export const sqlite: Engine = {
  name: "SQLite",
  dialect: {
    // t: seconds since 1970 (a REAL), turned into the app's DateTime text by `at`.
    series: `(SELECT value AS i, unixepoch($4, 'subsec') - 93600 + value * 93600.0 / $3 AS t FROM generate_series($1, $2))`,
    hex: (expr, digits) => `printf('%0${digits}x', ${expr})`,
    // As Prisma's libsql adapter writes a DateTime: ISO 8601, milliseconds, +00:00.
    at: (seconds) => `strftime('%Y-%m-%dT%H:%M:%f+00:00', t + ${seconds}, 'unixepoch')`,
    uuid: `lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-8' || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))`,
    enumValue: (expr) => expr,
    // %.Nc repeats its character N times; each copy then becomes expr, evaluated once.
    repeat: (expr, times) => `replace(printf('%.${times}c', '*'), '*', ${expr})`,
  },
  lanes: [[...TABLES]],
  loadNote:
    "SQLite's INSERT … SELECT over generate_series, one connection, one transaction, foreign_keys OFF, synchronous OFF, cache_size 512 MiB, temp_store MEMORY; secondary indexes built after; ANALYZE; the WAL checkpointed and truncated",
  connect,
  load: {
    before: [`PRAGMA foreign_keys = OFF`, `PRAGMA synchronous = OFF`, `PRAGMA cache_size = -524288`, `PRAGMA temp_store = MEMORY`, `BEGIN IMMEDIATE`],
    after: [
      `COMMIT`,
      `PRAGMA wal_checkpoint(TRUNCATE)`,
      `PRAGMA foreign_keys = ON`,
      `PRAGMA synchronous = FULL`,
      `PRAGMA cache_size = -2000`,
      `PRAGMA temp_store = DEFAULT`,
    ],
  },
  indexesSql: `SELECT name, sql AS def FROM sqlite_schema WHERE type = 'index' AND tbl_name = $1 AND sql IS NOT NULL`,
  cpuOf: "process",
  cpuMeter: async () => {
    const before = process.cpuUsage();
    return () => {
      const { user, system } = process.cpuUsage(before);
      return (user + system) / 1e6;
    };
  },
  sizes,
  sizesNote: "dbstat: the pages of each b-tree, the primary key's index (sqlite_autoindex_…) included; rows: count(*)",
};
