// Counts database round trips for the benchmark: every statement a Prisma
// driver adapter sends (BEGIN and COMMIT included), on either engine. It
// wraps the adapters' connect() from outside, so lib/ stays free of it.
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapter, Transaction } from "@prisma/driver-adapter-utils";
import { SharedSqlite } from "../lib/db/sqlite-adapter.server";

export const roundTrips = { count: 0 };

const counted = <F extends (...args: never[]) => Promise<unknown>>(f: F): F =>
  ((...args: Parameters<F>) => {
    roundTrips.count++;
    return f(...args);
  }) as F;

function countTransaction(tx: Transaction): Transaction {
  tx.queryRaw = counted(tx.queryRaw.bind(tx));
  tx.executeRaw = counted(tx.executeRaw.bind(tx));
  // PostgreSQL's COMMIT is a statement (counted above); libsql's is the driver's own call.
  if (tx.options.usePhantomQuery) {
    tx.commit = counted(tx.commit.bind(tx));
    tx.rollback = counted(tx.rollback.bind(tx));
  }
  return tx;
}

function countAdapter(adapter: SqlDriverAdapter): SqlDriverAdapter {
  adapter.queryRaw = counted(adapter.queryRaw.bind(adapter));
  adapter.executeRaw = counted(adapter.executeRaw.bind(adapter));
  const start = adapter.startTransaction.bind(adapter);
  // BEGIN is sent inside startTransaction, before the transaction is handed over.
  adapter.startTransaction = counted(async (isolationLevel) => countTransaction(await start(isolationLevel)));
  return adapter;
}

/** Call before the first query: every adapter connected afterwards is counted. */
export function countRoundTrips() {
  for (const factory of [PrismaPg.prototype, SharedSqlite.prototype]) {
    const connect = factory.connect;
    factory.connect = async function (this: typeof factory) {
      return countAdapter(await connect.call(this));
    };
  }
}

/** Round trips made while `op` ran (run alone: the counter is per process). */
export async function measureRoundTrips(op: () => Promise<unknown>): Promise<number> {
  const before = roundTrips.count;
  await op();
  return roundTrips.count - before;
}
