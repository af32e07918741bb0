// PostgreSQL restarting under a request, at each moment a request can meet it:
// connections refused, a connection cut between two statements of a
// transaction, while a statement runs, and while COMMIT runs. Whatever form the
// error takes on its way up (pg's, the driver adapter's, Prisma's), the API
// answers 503 with Retry-After, and the same request retried with its key gets
// its one final answer. Each cut happens inside the server at a chosen
// statement (a trigger, or pg_terminate_backend from a second connection), not
// after a guessed delay.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { POST as postOrder } from "../app/api/orders/route";
import { createApiSession } from "../lib/api/api-session.server";
import { db, isDatabaseUnavailable } from "../lib/db/db.server";
import { env } from "../lib/env.server";
import { seed } from "../prisma/seed";

const onPostgres = env().database.provider === "postgres";

/** SQL on a connection of its own (outside the app's pool): in the test's database, or in `postgres` (to refuse connections to it). */
async function admin(sql: string, params: unknown[] = [], database?: string) {
  const url = new URL(env().database.url);
  if (database) url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}

/**
 * The next transaction that updates a row of `table` matching `when` is cut
 * while its COMMIT runs: a deferred trigger ends its own backend, as a
 * restart's pg_terminate_backend does when it lands on a committing connection. Once.
 */
async function cutCommitOnce(table: string, when: string) {
  await admin(`
    CREATE SEQUENCE IF NOT EXISTS test_cut_commit;
    CREATE OR REPLACE FUNCTION test_cut_commit() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF nextval('test_cut_commit') = 1 THEN
        PERFORM pg_terminate_backend(pg_backend_pid());
        PERFORM pg_sleep(5);
      END IF;
      RETURN NULL;
    END $$;
    DROP TRIGGER IF EXISTS test_cut_commit ON "${table}";
    CREATE CONSTRAINT TRIGGER test_cut_commit AFTER UPDATE ON "${table}" DEFERRABLE INITIALLY DEFERRED
      FOR EACH ROW WHEN (${when}) EXECUTE FUNCTION test_cut_commit();`);
  return () => admin(`DROP TRIGGER IF EXISTS test_cut_commit ON "${table}"; DROP SEQUENCE IF EXISTS test_cut_commit;`);
}

function orderRequest(token: string, key: string, paymentMethod: string) {
  return new Request("http://127.0.0.1/api/orders", {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "idempotency-key": key },
    body: JSON.stringify({ email: "restart@example.com", items: [{ slug: "notebook", quantity: 1 }], paymentMethod }),
  });
}

const stockOf = async (slug: string) => (await db.product.findUniqueOrThrow({ where: { slug } })).stock;

describe("a PostgreSQL restart under a request", { skip: onPostgres ? false : "PostgreSQL only" }, () => {
  before(() => seed());

  // Chaos seed 1 on CI's PostgreSQL leg (issue 25): a declined API order answered a 500 internal
  // error while the campaign restarted the database. The settle phase's COMMIT (the order declined,
  // its stock given back) was cut; the adapter's DriverAdapterError for it reached the route unwrapped.
  it("chaos seed 1: a declined API order whose COMMIT is cut answers 503 with Retry-After, and its retry the decline", async () => {
    const token = await createApiSession();
    const key = randomUUID();
    const stock = await stockOf("notebook");
    const restore = await cutCommitOnce("Order", "NEW.status = 'payment_failed'");
    let first: Response;
    try {
      first = await postOrder(orderRequest(token, key, "pm_card_chargeDeclined"));
    } finally {
      await restore();
    }
    assert.equal(first.status, 503, await first.clone().text());
    assert.equal(first.headers.get("retry-after"), "1");
    assert.match(first.headers.get("content-type") ?? "", /application\/problem\+json/);
    const retry = await postOrder(orderRequest(token, key, "pm_card_chargeDeclined"));
    assert.equal(retry.status, 402, await retry.clone().text());
    assert.equal(await stockOf("notebook"), stock, "the declined order's unit is back, once");
  });
});

describe("isDatabaseUnavailable, against a real PostgreSQL", { skip: onPostgres ? false : "PostgreSQL only" }, () => {
  const name = onPostgres ? new URL(env().database.url).pathname.slice(1) : "";
  const cutAll = () => admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [name], "postgres");
  const refuse = (refusing: boolean) => admin(`ALTER DATABASE ${name} ALLOW_CONNECTIONS ${refusing ? "false" : "true"}`, [], "postgres");
  const settle = () => new Promise((r) => setTimeout(r, 200));

  /** The error `work` fails with: it must fail, and as "unavailable". */
  async function failsUnavailable(what: string, work: () => Promise<unknown>) {
    const error = await work().then(
      () => assert.fail(`${what}: succeeded`),
      (e: unknown) => e,
    );
    assert.equal(isDatabaseUnavailable(error), true, `${what}: ${String(error)}`);
  }

  before(() => seed());
  after(() => refuse(false));

  it("a connection cut between two statements of a transaction", async () => {
    await failsUnavailable("mid-transaction", () =>
      db.$transaction(async (tx) => {
        await tx.product.count();
        await cutAll();
        await settle();
        await tx.product.count();
      }),
    );
  });

  it("a connection cut before COMMIT", async () => {
    await failsUnavailable("before commit", () =>
      db.$transaction(async (tx) => {
        await tx.product.count();
        await cutAll();
        await settle();
      }),
    );
  });

  it("a connection cut while COMMIT runs", async () => {
    const restore = await cutCommitOnce("Product", "NEW.slug = 'mug'");
    try {
      await failsUnavailable("during commit", () =>
        db.$transaction(async (tx) => {
          await tx.product.update({ where: { slug: "mug" }, data: { stock: { increment: 0 } } });
        }),
      );
    } finally {
      await restore();
    }
  });

  it("a connection cut while a statement runs, in a transaction and outside", async () => {
    // Terminates the backend running pg_sleep once it runs it (polled: no guessed delay).
    const cutTheSleeper = async () => {
      for (let tries = 0; tries < 100; tries++) {
        const { rowCount } = await admin(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND state = 'active' AND query LIKE '%pg_sleep(10)%' AND pid <> pg_backend_pid()",
          [name],
          "postgres",
        );
        if (rowCount) return;
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await Promise.all([failsUnavailable("statement in a transaction", () => db.$transaction((tx) => tx.$executeRaw`SELECT pg_sleep(10)`)), cutTheSleeper()]);
    await Promise.all([failsUnavailable("statement", () => db.$executeRaw`SELECT pg_sleep(10)`), cutTheSleeper()]);
  });

  it("connections refused: a query, a raw statement, a transaction", async () => {
    await refuse(true);
    await cutAll();
    await settle();
    try {
      await failsUnavailable("query", () => db.product.findMany());
      await failsUnavailable("write", () => db.product.updateMany({ where: { id: -1 }, data: { stock: 1 } }));
      await failsUnavailable("raw", () => db.$executeRaw`SELECT 1`);
      await failsUnavailable("transaction", () => db.$transaction((tx) => tx.product.count()));
    } finally {
      await refuse(false);
    }
    assert.equal(typeof (await db.product.count()), "number", "served again once the database is back");
  });
});
