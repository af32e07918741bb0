import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, it } from "node:test";
import pg from "pg";
import { requestSignInLink } from "../lib/accounts.server";
import { db } from "../lib/db.server";
import { reapExpiredSessions } from "../lib/maintenance.server";
import { newCart, newSession } from "./helpers";
import { checkout } from "../lib/checkout.server";
import { HoldLimitReached } from "../lib/hold-limit.server";
import { releaseStock } from "../lib/stock.server";

describe("client limits", () => {
  it("five sessions asking a sign-in link for one address: at most 3 e-mails, and every one is told the same", async () => {
    const email = `flood-${randomUUID()}@example.com`;
    const answers = [];
    for (let n = 0; n < 5; n++) {
      const session = await newSession();
      const result = await requestSignInLink(session, randomUUID(), { email }, "http://shop.test");
      answers.push(result.kind === "completed" ? result.outcome : result);
    }
    assert.deepEqual(answers, Array(5).fill({ kind: "link_sent" }));
    assert.equal(await db.outboxEmail.count({ where: { to: email } }), 3);
    assert.equal(await db.signInLink.count({ where: { email } }), 3);
  });

  it("the reaper deletes expired sessions with nothing to keep, and keeps those with an order or a live key", async () => {
    const past = new Date(Date.now() - 1000);
    const empty = await newSession();
    const withCart = await newSession();
    await newCart(withCart.id);
    const withOrder = await newSession();
    await checkout({
      session: withOrder,
      idempotencyKey: randomUUID(),
      input: { cartId: (await newCart(withOrder.id)).id, email: "k@example.com", paymentMethod: "pm_card_visa" },
    });
    const live = await newSession();
    const ids = [empty.id, withCart.id, withOrder.id, live.id];
    await db.session.updateMany({ where: { id: { in: ids.slice(0, 3) } }, data: { expiresAt: past } });
    await db.session.update({ where: { id: live.id }, data: { expiresAt: new Date(Date.now() + 60_000) } });

    assert.ok((await reapExpiredSessions()) >= 2);
    const left = (await db.session.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((s) => s.id);
    assert.deepEqual(left.sort(), [withOrder.id, live.id].sort());
    assert.equal(await db.cart.count({ where: { sessionId: withCart.id } }), 0);
  });

  // PostgreSQL: the reaper's DELETE decided "nothing to keep" from a snapshot taken before a
  // checkout's attempt committed, waited on that attempt's key lock on the session row, then
  // deleted the session, and the cascade took the committed attempt with it.
  it(
    "the reaper never takes a session's attempt committed while it ran (PostgreSQL)",
    { skip: !/^postgres/.test(process.env.DATABASE_URL ?? "") },
    async () => {
      const session = await newSession();
      await db.session.update({ where: { id: session.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
      const checkoutTx = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await checkoutTx.connect();
      try {
        await checkoutTx.query("BEGIN");
        await checkoutTx.query(
          `INSERT INTO "IdempotencyRecord" (id, scope, key, fingerprint, "recoveryPoint", "updatedAt", "expiresAt") VALUES ($1, $2, $3, 'f', 'started', now(), now() + interval '1 day')`,
          [randomUUID(), session.id, randomUUID()],
        );
        const reaping = reapExpiredSessions();
        // The reaper is waiting on the attempt's lock on the session row: then the attempt commits.
        for (let i = 0; i < 100; i++) {
          const [waiting] = await db.$queryRaw<
            { n: number }[]
          >`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`;
          if (waiting && waiting.n > 0) break;
          await new Promise((r) => setTimeout(r, 50));
        }
        await checkoutTx.query("COMMIT");
        await reaping;
      } finally {
        await checkoutTx.end();
      }
      assert.equal(await db.attempt.count({ where: { scope: session.id } }), 1, "the committed attempt is still there");
      assert.equal(await db.session.count({ where: { id: session.id } }), 1, "and so is its session");
    },
  );

  it("an order taking its units again after its hold window counts toward the hold limit too", async () => {
    const session = await newSession();
    const pay = (cartId: string) =>
      checkout({ session, idempotencyKey: randomUUID(), input: { cartId, email: "h@example.com", paymentMethod: "pm_card_threeDSecure2Required" } });
    const first = await newCart(session.id, { mug: 10 });
    await pay(first.id); // waits for authentication: 10 units held, the session's limit
    const held = await db.order.findFirstOrThrow({ where: { sessionId: session.id } });
    await db.$transaction((tx) => releaseStock(tx, held.id)); // its hold window ran out
    const second = await newCart(session.id, { mug: 10 });
    await pay(second.id); // 10 held again
    // Paying the first cart again (a new key) joins its order, which would take its 10 units back.
    await assert.rejects(pay(first.id), HoldLimitReached);
    assert.equal((await db.order.findUniqueOrThrow({ where: { id: held.id } })).stockReleasedAt !== null, true, "its units stay released");
  });
});
