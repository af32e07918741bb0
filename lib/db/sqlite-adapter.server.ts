// SQLite shared by several processes (the app, the worker, the local tools
// and tests all open the same file). Prisma's libsql adapter, used as it
// comes, lets a customer see "Operation has timed out" (P1008) for two
// reasons, both fixed here for every connection of every process:
//
// 1. It begins transactions DEFERRED: a transaction reads from a snapshot and
//    becomes a writer at its first write. If another process committed in
//    between, SQLite refuses that upgrade at once (SQLITE_BUSY_SNAPSHOT), the
//    busy timeout notwithstanding. Every transaction of ours writes, so each
//    begins as a writer (BEGIN IMMEDIATE) and queues for the lock up front.
// 2. libsql leaves a statement that failed with SQLITE_BUSY unfinalized: the
//    connection's next transaction then cannot commit and holds the write
//    lock until the process exits, so every other process waits out its busy
//    timeout (prisma/orm#30028). A connection that saw SQLITE_BUSY is dropped.
//
// And the file is in WAL mode, so readers never wait for the writer.
// docs/decisions/0003-sqlite-several-processes.md has the story.
import "server-only";
import { createClient, type Client, type Config } from "@libsql/client";
import { PrismaLibSql } from "@prisma/adapter-libsql";

const SQLITE_BUSY = 5;

const isBusy = (error: unknown) => ((error as { rawCode?: number } | null)?.rawCode ?? 0) % 256 === SQLITE_BUSY;

export class SharedSqlite extends PrismaLibSql {
  /** `timeout` is SQLite's busy timeout: how long a writer waits for the lock. */
  constructor(config: { url: string; timeout: number }) {
    super(config);
  }

  override createClient(config: Config): Client {
    // @libsql/client ≥ 0.18 pools connections and rolls back one handed back
    // mid-transaction; Prisma's adapter runs one statement at a time anyway.
    const client = createClient({ ...config, concurrency: 1 });
    const dropIfBusy = (error: unknown): never => {
      // Nothing else is open on this client now: the adapter runs one thing at a time.
      if (isBusy(error)) void client.reconnect();
      throw error;
    };
    const execute = client.execute.bind(client) as (statement: unknown) => ReturnType<Client["execute"]>;
    const begin = client.transaction.bind(client);
    client.execute = ((statement: unknown) => execute(statement).catch(dropIfBusy)) as Client["execute"];
    client.transaction = () => begin("write").catch(dropIfBusy);
    return client;
  }

  override async connect() {
    const adapter = await super.connect();
    await adapter.executeScript("PRAGMA journal_mode = WAL");
    return adapter;
  }
}
