// bench:queue's enqueue: the fulfillment job is enqueued in the transaction
// that marks the order paid, so that a paid order always has its job and a
// rolled-back payment never does (the outbox property, decision 0002). Timed
// here, on the full tables, one job at a time, the three ways in turn:
//   - ours: enqueue(tx, …), the Job insert in a Prisma interactive transaction;
//   - pg-boss in the same transaction: send() with its `db` option, an
//     executeSql that runs pg-boss's INSERT on the Prisma transaction
//     ($queryRawUnsafe), so it commits or rolls back with the order;
//   - pg-boss as it is usually called: send() on its own pool, committed on
//     its own, before or after the order's transaction, never with it.
// Each way is also checked to roll back: a transaction that enqueues, then
// throws, must leave no job behind (pg-boss on its own pool cannot: skipped).
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import type PgBoss from "pg-boss";
import type { Tx } from "../../lib/db/db.server";

export type EnqueueWay = "ours, in the transaction" | "pg-boss, in the transaction (send with db)" | "pg-boss, on its own pool (not atomic)";
export type Enqueues = { way: EnqueueWay; enqueueMs: number[]; transactionMs: number[]; rolledBack: boolean | null }[];

/** pg-boss's Db on a Prisma transaction: its statements run on the transaction's connection. */
const onTransaction = (tx: Tx): PgBoss.Db => ({
  executeSql: async (text, values) => ({
    rows: await tx.$queryRawUnsafe<unknown[]>(
      text,
      ...values.map((v: unknown) => (v === undefined ? null : typeof v === "object" && v !== null && !(v instanceof Date) ? JSON.stringify(v) : v)),
    ),
  }),
});

class RollBack extends Error {}

export async function measureEnqueues(boss: PgBoss, queue: string, samples: number): Promise<Enqueues> {
  const { db } = await import("../../lib/db/db.server");
  const { enqueue } = await import("../../lib/worker/jobs.server");
  const ways: Record<EnqueueWay, { send(tx: Tx, orderId: string): Promise<unknown>; inTransaction: boolean }> = {
    "ours, in the transaction": { send: (tx, orderId) => enqueue(tx, "fulfillment", orderId), inTransaction: true },
    "pg-boss, in the transaction (send with db)": { send: (tx, orderId) => boss.send(queue, { orderId }, { db: onTransaction(tx) }), inTransaction: true },
    "pg-boss, on its own pool (not atomic)": { send: (_tx, orderId) => boss.send(queue, { orderId }), inTransaction: false },
  };
  const results = new Map(Object.keys(ways).map((way) => [way, { enqueueMs: [] as number[], transactionMs: [] as number[] }]));
  // The order's own write in the transaction (one row, as "mark paid" writes one), then the enqueue.
  await db.$executeRawUnsafe(`CREATE TABLE IF NOT EXISTS bench_order (id text PRIMARY KEY, paid boolean NOT NULL DEFAULT false)`);
  const paid = (tx: Tx, orderId: string) => tx.$executeRawUnsafe(`INSERT INTO bench_order (id, paid) VALUES ($1, true)`, orderId);
  for (let i = 0; i < samples; i++) {
    for (const [way, { send }] of Object.entries(ways)) {
      const orderId = randomUUID();
      const start = performance.now();
      let enqueueMs = 0;
      await db.$transaction(async (tx) => {
        await paid(tx, orderId);
        const t = performance.now();
        await send(tx, orderId);
        enqueueMs = performance.now() - t;
      });
      const result = results.get(way)!;
      result.enqueueMs.push(enqueueMs);
      result.transactionMs.push(performance.now() - start);
    }
  }
  const left = async (orderId: string) => {
    const ours = await db.job.count({ where: { orderId } });
    const theirs = await db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM pgboss.job WHERE name = $1 AND data->>'orderId' = $2`, queue, orderId);
    return ours + Number(theirs[0]!.n);
  };
  const out: Enqueues = [];
  for (const [way, { send, inTransaction }] of Object.entries(ways) as [EnqueueWay, (typeof ways)[EnqueueWay]][]) {
    let rolledBack: boolean | null = null;
    if (inTransaction) {
      const orderId = randomUUID();
      await db
        .$transaction(async (tx) => {
          await paid(tx, orderId);
          await send(tx, orderId);
          throw new RollBack();
        })
        .catch((error: unknown) => {
          if (!(error instanceof RollBack)) throw error;
        });
      rolledBack = (await left(orderId)) === 0;
    }
    out.push({ way, ...results.get(way)!, rolledBack });
  }
  return out;
}
