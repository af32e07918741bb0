// The local server's memory, kept in a small SQLite file of its own
// (--state file:<path>; ":memory:" with --state memory). Real Stripe does not forget
// objects, idempotency keys or events when something restarts, so neither does
// this server: every change is written (synchronously) before its answer
// leaves, and everything is read back at start. POST /_control/reset clears it.
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "libsql";

export type StoredObject = { object: string; id: string };
export type StoredKey = { key: string; fingerprint: string; createdAt: number; status: number; body: unknown };
type Row = { account: string; json: string };

export class Store {
  private readonly db: Database.Database;

  constructor(readonly file: string) {
    if (file !== ":memory:") mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.db = new Database(file);
    this.db.exec(`
      PRAGMA journal_mode = WAL;
      PRAGMA synchronous = NORMAL;
      CREATE TABLE IF NOT EXISTS objects (
        account TEXT NOT NULL, kind TEXT NOT NULL, id TEXT NOT NULL, seq INTEGER NOT NULL, json TEXT NOT NULL,
        PRIMARY KEY (account, kind, id));
      -- Every write takes MAX(seq) + 1: without this index that is a scan of every object.
      CREATE INDEX IF NOT EXISTS objects_seq ON objects (seq);
      CREATE TABLE IF NOT EXISTS idempotency_keys (
        account TEXT NOT NULL, key TEXT NOT NULL, json TEXT NOT NULL, PRIMARY KEY (account, key));
      CREATE TABLE IF NOT EXISTS webhook_deliveries (seq INTEGER PRIMARY KEY, json TEXT NOT NULL);
    `);
  }

  /** Stripe objects (and an account's counters), in the order they were first written. */
  saveObject(account: string, object: StoredObject) {
    this.db
      .prepare(
        `INSERT INTO objects (account, kind, id, seq, json) VALUES (?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM objects), ?)
         ON CONFLICT (account, kind, id) DO UPDATE SET json = excluded.json`,
      )
      .run(account, object.object, object.id, JSON.stringify(object));
  }

  saveKey(account: string, entry: StoredKey) {
    this.db.prepare("INSERT OR REPLACE INTO idempotency_keys (account, key, json) VALUES (?, ?, ?)").run(account, entry.key, JSON.stringify(entry));
  }

  deleteKey(account: string, key: string) {
    this.db.prepare("DELETE FROM idempotency_keys WHERE account = ? AND key = ?").run(account, key);
  }

  saveDelivery(seq: number, delivery: unknown) {
    this.db.prepare("INSERT OR REPLACE INTO webhook_deliveries (seq, json) VALUES (?, ?)").run(seq, JSON.stringify(delivery));
  }

  load() {
    const objects = this.db.prepare("SELECT account, json FROM objects ORDER BY seq").all() as Row[];
    const keys = this.db.prepare("SELECT account, json FROM idempotency_keys").all() as Row[];
    const deliveries = this.db.prepare("SELECT json FROM webhook_deliveries ORDER BY seq").all() as { json: string }[];
    return {
      objects: objects.map((r) => ({ account: r.account, object: JSON.parse(r.json) as StoredObject })),
      keys: keys.map((r) => ({ account: r.account, entry: JSON.parse(r.json) as StoredKey })),
      deliveries: deliveries.map((r) => JSON.parse(r.json) as unknown),
    };
  }

  clear() {
    this.db.exec("DELETE FROM objects; DELETE FROM idempotency_keys; DELETE FROM webhook_deliveries;");
  }

  close() {
    this.db.close();
  }

  /** What the file holds, for GET /_control/state. */
  stats() {
    const count = (sql: string) => (this.db.prepare(sql).get() as { n: number }).n;
    const byKind = this.db.prepare("SELECT kind, COUNT(*) AS n FROM objects WHERE kind != 'counters' GROUP BY kind").all() as { kind: string; n: number }[];
    return {
      file: this.file,
      accounts: count("SELECT COUNT(DISTINCT account) AS n FROM objects"),
      objects: Object.fromEntries(byKind.map((r) => [r.kind, r.n])),
      idempotencyKeys: count("SELECT COUNT(*) AS n FROM idempotency_keys"),
      webhookDeliveries: count("SELECT COUNT(*) AS n FROM webhook_deliveries"),
    };
  }
}
