import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, it } from "node:test";
import pg from "pg";
import { requestSignInLink } from "../lib/accounts.server";
import { db } from "../lib/db.server";
import { env } from "../lib/env.server";
import { RefusedInput } from "../lib/refused-input";
import { mintSession } from "../lib/session-cookie.server";
import { storedSession } from "../lib/session.server";
import { reapExpiredSessions } from "../lib/maintenance.server";
import { newCart, newSession } from "./helpers";
import { checkout } from "../lib/checkout.server";
import { HoldLimitReached } from "../lib/hold-limit.server";
import { releaseStock } from "../lib/stock.server";

/** An address of the documentation range of its own, so that each test has its own counts. */
const someAddress = () => `2001:db8:${randomUUID().slice(0, 4)}:${randomUUID().slice(0, 4)}::/64`;

describe("client limits", () => {
  it("five sessions asking a sign-in link for one address: at most 3 e-mails, and every one is told the same", async () => {
    const email = `flood-${randomUUID()}@example.com`;
    const answers = [];
    for (let n = 0; n < 5; n++) {
      const session = await newSession();
      const result = await requestSignInLink(session, randomUUID(), { email }, "http://shop.test", someAddress());
      answers.push(result.kind === "completed" ? result.outcome : result);
    }
    assert.deepEqual(answers, Array(5).fill({ kind: "link_sent" }));
    assert.equal(await db.outboxEmail.count({ where: { to: email } }), 3);
    assert.equal(await db.signInLink.count({ where: { email } }), 3);
  });

  it("one client address asking sign-in links for many e-mail addresses: past SIGN_IN_LINKS_PER_ADDRESS it is refused, and nothing is sent", async () => {
    const address = someAddress();
    const { signInLinksPerAddress } = env().limits;
    const ask = async (email: string) => requestSignInLink(await newSession(), randomUUID(), { email }, "http://shop.test", address);
    const run = randomUUID();
    for (let n = 0; n < signInLinksPerAddress; n++) assert.equal((await ask(`many-${n}-${run}@example.com`)).kind, "completed");
    const session = await newSession();
    const over = `many-over-${run}@example.com`;
    await assert.rejects(requestSignInLink(session, randomUUID(), { email: over }, "http://shop.test", address), (error) => {
      assert.ok(error instanceof RefusedInput);
      assert.equal(error.field, "email");
      assert.match(error.message, /try again in \d+ minutes?/);
      return true;
    });
    assert.equal(await db.outboxEmail.count({ where: { to: over } }), 0, "no e-mail");
    assert.equal(await db.signInLink.count({ where: { email: over } }), 0, "no link");
    assert.equal(await db.attempt.count({ where: { sessionId: session.id } }), 0, "no attempt");
    // Another client is not held up by this one.
    assert.equal((await requestSignInLink(session, randomUUID(), { email: over }, "http://shop.test", someAddress())).kind, "completed");
    assert.equal(await db.outboxEmail.count({ where: { to: over } }), 1);
  });

  it("new browser sessions are limited per client address: past BROWSER_SESSIONS_PER_HOUR no row is made", async () => {
    const address = someAddress();
    const { browserSessionsPerHour } = env().limits;
    for (let n = 0; n < browserSessionsPerHour; n++) assert.ok(await storedSession(mintSession().id, address));
    const refused = mintSession().id;
    await assert.rejects(storedSession(refused, address), (error) => {
      assert.ok(error instanceof RefusedInput);
      assert.match(error.message, /try again in \d+ minutes?/);
      return true;
    });
    assert.equal(await db.session.count({ where: { id: refused } }), 0, "no row");
    // Sessions that exist go on, and other addresses are not held up.
    const existing = await newSession();
    assert.equal((await storedSession(existing.id, address))?.id, existing.id);
    assert.equal((await storedSession(refused, someAddress()))?.id, refused);
  });

  it("a browser session past SESSION_LIFETIME_DAYS is no session any more", async () => {
    const { id } = await newSession();
    await db.session.update({ where: { id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    assert.equal(await storedSession(id, someAddress()), null);
    assert.ok((await db.session.findUniqueOrThrow({ where: { id } })).expiresAt! < new Date(), "and its end is not moved");
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
      assert.equal(await db.attempt.count({ where: { sessionId: session.id } }), 1, "the committed attempt is still there");
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
