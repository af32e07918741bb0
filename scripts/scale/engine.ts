// What bench:scale's fill and size report need from a database engine, so the
// rows it writes are described once (scripts/scale/fill.ts) and only the SQL
// dialect, the bulk-load settings and the size catalogue differ between
// PostgreSQL (scripts/scale/postgres.ts) and SQLite (scripts/scale/sqlite.ts).
// Statements are written with PostgreSQL's $1..$n placeholders; an engine
// that spells them otherwise translates them in its Connection.

export const TABLES = ["Session", "Cart", "Order", "Attempt", "WebhookEvent", "Job", "JobStep"] as const;
export type Table = (typeof TABLES)[number];

export type Connection = {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  end(): Promise<void>;
};

/** The SQL that differs between the engines; the rows' shapes are fill.ts's. */
export type Dialect = {
  /**
   * A subquery of the chunk's rows: i from $1 to $2 (of $3) and t, i's moment
   * in the 26 hours before $4, in whatever form `at` reads it.
   */
  series: string;
  /** `expr`, a non-negative integer, as `digits` lower-case hex digits, zero-padded. */
  hex(expr: string, digits: number): string;
  /** The moment t + `seconds`, as the app's client stores a DateTime. */
  at(seconds: number): string;
  /** A new random UUID, as text. */
  uuid: string;
  /** `expr` as a value of the enum `type` (PostgreSQL has enum types; SQLite stores text). */
  enumValue(expr: string, type: string): string;
  /** `expr` repeated `times` times. */
  repeat(expr: string, times: number): string;
};

export type TableSize = { table: string; rows: number; heapBytes: number; totalBytes: number; indexes: { name: string; bytes: number }[] };

export type Engine = {
  name: "PostgreSQL" | "SQLite";
  dialect: Dialect;
  /** The tables in lanes, each lane loaded on a connection of its own, the lanes at once. */
  lanes: Table[][];
  /** How the fill is made fast, for the bench's output. */
  loadNote: string;
  connect(): Promise<Connection>;
  /** A lane's first statements (settings for the load) and its last (settings restored). */
  load: { before: string[]; after: string[] };
  /** Secondary indexes of table $1, dropped before the load and built again after it: name and CREATE statement. */
  indexesSql: string;
  /** Whose CPU time cpuMeter counts: the "server" (PostgreSQL's backends) or the "process" SQLite runs in. */
  cpuOf: "server" | "process";
  /** Starts counting the CPU time the database spends on this connection's work; the returned call says how much so far (null: not known). */
  cpuMeter(connection: Connection): Promise<() => number | null>;
  /** Each table's rows, its own bytes, each of its indexes' and the total. */
  sizes(connection: Connection): Promise<TableSize[]>;
  /** Where the sizes come from, for the bench's output. */
  sizesNote: string;
};

export const onPostgres = (url = process.env.DATABASE_URL ?? "") => /^postgres/.test(url);

/** The engine DATABASE_URL names: PostgreSQL for postgresql://…, SQLite otherwise. */
export async function engine(): Promise<Engine> {
  return onPostgres() ? (await import("./postgres")).postgres : (await import("./sqlite")).sqlite;
}
