// The SQLite connection every process uses (lib/db/sqlite-adapter.server.ts),
// against the two ways Prisma's libsql adapter fails under several processes.
import assert from "node:assert/strict";
import { createClient } from "@libsql/client";
import { before, describe, it } from "node:test";
import { PrismaClient } from "../generated/sqlite/client";
import { env } from "../lib/env.server";
import { SharedSqlite } from "../lib/db/sqlite-adapter.server";
import { seed } from "../prisma/seed";

const { url, provider } = env().database;

/** A client of its own with a short busy timeout, as another process would have. */
const otherProcess = () => new PrismaClient({ adapter: new SharedSqlite({ url, timeout: 200 }) });
const bumpStock = (client: PrismaClient) => client.product.updateMany({ where: { slug: "mug" }, data: { stock: { increment: 1 } } });

describe("SQLite shared by several processes", { skip: provider !== "sqlite" && "SQLite only" }, () => {
  before(() => seed());

  it("a transaction that read before another process wrote still commits its own write", async () => {
    const [a, b] = [otherProcess(), otherProcess()];
    const before = (await a.product.findUniqueOrThrow({ where: { slug: "mug" } })).stock;
    // b writes while a's transaction is between its read and its write. With
    // DEFERRED transactions a's write fails at once (SQLITE_BUSY_SNAPSHOT).
    await a.$transaction(async (tx) => {
      await tx.product.findUniqueOrThrow({ where: { slug: "mug" } });
      await bumpStock(b).catch(() => {}); // waits for a's lock and gives up: a began as the writer
      await tx.product.updateMany({ where: { slug: "mug" }, data: { stock: { increment: 1 } } });
    });
    await bumpStock(b);
    assert.equal((await a.product.findUniqueOrThrow({ where: { slug: "mug" } })).stock, before + 2);
    await Promise.all([a.$disconnect(), b.$disconnect()]);
  });

  it("a connection that once found the database locked does not keep the lock afterwards", async () => {
    const victim = otherProcess();
    const holder = createClient({ url });
    await victim.product.count();
    const held = await holder.transaction("write");
    await assert.rejects(bumpStock(victim), (e: { code?: string }) => e.code === "P1008");
    await held.rollback();
    // libsql left the failed statement open: the next transaction could not
    // commit and kept the write lock until the process exited.
    await victim.$transaction((tx) => bumpStock(tx as unknown as PrismaClient));
    await holder.execute("UPDATE Product SET stock = stock WHERE slug = 'mug'");
    holder.close();
    await victim.$disconnect();
  });
});
