import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, it } from "node:test";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { requestSignInLink } from "../lib/forms/accounts.server";
import { db } from "../lib/db/db.server";
import { env } from "../lib/env.server";
import { mintSession } from "../lib/sessions/session-cookie.server";
import { storedSession } from "../lib/sessions/session.server";
import { completeAbandoned, reapExpiredSessions, reapRateCounts } from "../lib/worker/maintenance.server";
import { expireLease, newCart, newSession, stopAfter } from "./helpers";
import { checkout, RecoveryPoint } from "../lib/orders/checkout.server";
import { HoldLimitReached } from "../lib/orders/hold-limit.server";
import { RefusedInput, SimulatedCrash } from "@payonce/kit";
import { releaseStock } from "../lib/orders/stock.server";

/** An address of the documentation range of its own, so that each test has its own counts. */
const someAddress = () => `2001:db8:${randomUUID().slice(0, 4)}:${randomUUID().slice(0, 4)}::/64`;

const onPostgres = /^postgres/.test(process.env.DATABASE_URL ?? "");

/** Resolves once some statement of this database waits for a lock, or `until` settles first. */
async function lockWaitOr(until: Promise<unknown>): Promise<void> {
  let settled = false;
  const done = until.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let i = 0; i < 200 && !settled; i++) {
    const [waiting] = await db.$queryRaw<
      { n: number }[]
    >`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`;
    if (waiting && waiting.n > 0) return;
    await Promise.race([done, new Promise((r) => setTimeout(r, 25))]);
  }
}

describe("client limits", () => {
  it("five sessions asking a sign-in link for one address: at most 3 e-mails, and every one is told the same", async () => {
    const email = `flood-${randomUUID()}@example.com`;
    const now = Date.now(); // one window for all, wherever its boundary falls
    const answers = [];
    for (let n = 0; n < 5; n++) {
      const session = await newSession();
      const result = await requestSignInLink(session, randomUUID(), { email }, "http://shop.test", someAddress(), now);
      answers.push(result.kind === "completed" ? result.outcome : result);
    }
    assert.deepEqual(answers, Array(5).fill({ kind: "link_sent" }));
    assert.equal(await db.outboxEmail.count({ where: { to: email } }), 3);
    assert.equal(await db.signInLink.count({ where: { email } }), 3);
  });

  it("one client address asking sign-in links for many e-mail addresses: past SIGN_IN_LINKS_PER_ADDRESS it is refused, and nothing is sent", async () => {
    const address = someAddress();
    const { signInLinksPerAddress } = env().limits;
    const now = Date.now(); // one window for all, wherever its boundary falls
    const ask = async (email: string) => requestSignInLink(await newSession(), randomUUID(), { email }, "http://shop.test", address, now);
    const run = randomUUID();
    for (let n = 0; n < signInLinksPerAddress; n++) assert.equal((await ask(`many-${n}-${run}@example.com`)).kind, "completed");
    const session = await newSession();
    const over = `many-over-${run}@example.com`;
    await assert.rejects(requestSignInLink(session, randomUUID(), { email: over }, "http://shop.test", address, now), (error) => {
      assert.ok(error instanceof RefusedInput);
      assert.equal(error.field, "email");
      assert.match(error.message, /try again in \d+ minutes?/);
      return true;
    });
    assert.equal(await db.outboxEmail.count({ where: { to: over } }), 0, "no e-mail");
    assert.equal(await db.signInLink.count({ where: { email: over } }), 0, "no link");
    assert.equal(await db.attempt.count({ where: { scope: session.id } }), 0, "no attempt");
    // Another client is not held up by this one.
    assert.equal((await requestSignInLink(session, randomUUID(), { email: over }, "http://shop.test", someAddress())).kind, "completed");
    assert.equal(await db.outboxEmail.count({ where: { to: over } }), 1);
  });

  it("new browser sessions are limited per client address: past BROWSER_SESSIONS_PER_HOUR no row is made", async () => {
    const address = someAddress();
    const { browserSessionsPerHour } = env().limits;
    const now = Date.now(); // one window for all, wherever its boundary falls
    for (let n = 0; n < browserSessionsPerHour; n++) assert.ok(await storedSession(mintSession(), address, now));
    const refused = mintSession();
    await assert.rejects(storedSession(refused, address, now), (error) => {
      assert.ok(error instanceof RefusedInput);
      assert.match(error.message, /try again in \d+ minutes?/);
      return true;
    });
    assert.equal(await db.session.count({ where: { id: refused.id } }), 0, "no row");
    // Sessions that exist go on, and other addresses are not held up.
    const existing = await newSession();
    assert.equal((await storedSession({ id: existing.id, issuedAt: Date.now() }, address))?.id, existing.id);
    assert.equal((await storedSession(refused, someAddress()))?.id, refused.id);
  });

  it("a browser session past SESSION_LIFETIME_DAYS is no session any more", async () => {
    const { id } = await newSession();
    await db.session.update({ where: { id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    assert.equal(await storedSession({ id, issuedAt: Date.now() }, someAddress()), null);
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

  // PostgreSQL: the reaper's batch was the first expired sessions, kept or not; once a batch's
  // worth of kept ones came first, every sweep locked those same rows and deleted nothing.
  it("the reaper gets past the expired sessions it keeps: a batch's worth of them never stops it", async () => {
    const kept = [await newSession(), await newSession(), await newSession()];
    for (const { id } of kept) {
      await db.attempt.create({
        data: { id: randomUUID(), scope: id, key: randomUUID(), fingerprint: "f", recoveryPoint: "started", expiresAt: new Date(Date.now() + 86_400_000) },
      });
    }
    const empty = await newSession();
    await db.session.updateMany({ where: { id: { in: [...kept, empty].map((s) => s.id) } }, data: { expiresAt: new Date(Date.now() - 1000) } });
    // Sweeps in batches of 2, until one deletes nothing.
    for (let sweep = 0; sweep < 1000 && (await reapExpiredSessions(new Date(), 2)) > 0; sweep++);
    assert.equal(await db.session.count({ where: { id: empty.id } }), 0, "the empty session is gone");
    assert.equal(await db.session.count({ where: { id: { in: kept.map((s) => s.id) } } }), 3, "the kept ones are there");
  });

  // PostgreSQL: the reaper's DELETE decided "nothing to keep" from a snapshot taken before a
  // checkout's attempt committed, waited on that attempt's key lock on the session row, then
  // deleted the session, and the cascade took the committed attempt with it.
  it("the reaper never takes a session's attempt committed while it ran (PostgreSQL)", { skip: !onPostgres }, async () => {
    const session = await newSession();
    await db.session.update({ where: { id: session.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const checkoutTx = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await checkoutTx.connect();
    try {
      await checkoutTx.query("BEGIN");
      await checkoutTx.query(
        `INSERT INTO "Attempt" (id, scope, key, fingerprint, "recoveryPoint", "updatedAt", "expiresAt") VALUES ($1, $2, $3, 'f', 'started', now(), now() + interval '1 day')`,
        [randomUUID(), session.id, randomUUID()],
      );
      const reaping = reapExpiredSessions();
      // The reaper is waiting on the attempt's lock on the session row: then the attempt commits.
      await lockWaitOr(reaping);
      await checkoutTx.query("COMMIT");
      await reaping;
    } finally {
      await checkoutTx.end();
    }
    assert.equal(await db.attempt.count({ where: { scope: session.id } }), 1, "the committed attempt is still there");
    assert.equal(await db.session.count({ where: { id: session.id } }), 1, "and so is its session");
  });

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

  it("an order that alone is past what one session may hold is refused as bad input (400, it could never pass), and nothing is written", async () => {
    const session = await newSession();
    const limit = env().limits.holdUnitsPerSession;
    const tooLarge = (field: string) => (error: unknown) =>
      error instanceof RefusedInput && !(error instanceof HoldLimitReached) && error.field === field && /at most/.test(error.message);
    const pay = { email: "big@example.com", paymentMethod: "pm_card_visa" as const };
    // An API client's items, and the browser's cart.
    await assert.rejects(
      checkout({
        session,
        idempotencyKey: randomUUID(),
        input: {
          ...pay,
          items: [
            { slug: "mug", quantity: limit },
            { slug: "bottle", quantity: 1 },
          ],
        },
      }),
      tooLarge("/items"),
    );
    const cart = await newCart(session.id, { mug: limit, bottle: 1 });
    await assert.rejects(checkout({ session, idempotencyKey: randomUUID(), input: { ...pay, cartId: cart.id } }), tooLarge("cartId"));
    assert.equal(await db.attempt.count({ where: { scope: session.id } }), 0, "no attempt");
    assert.equal(await db.order.count({ where: { sessionId: session.id } }), 0, "no order");
    assert.equal(await db.cart.count({ where: { sessionId: session.id, status: "checked_out" } }), 0, "no cart of its own");
  });

  it("the completer holds a resumed order to its client address's limit, and records that address on the order", async () => {
    const address = `completer-${randomUUID()}`;
    const hold = async (units: number) => {
      const session = await newSession();
      const cart = await newCart(session.id, { mug: units });
      const input = { cartId: cart.id, email: "c@example.com", paymentMethod: "pm_card_threeDSecure2Required" as const };
      await checkout({ session, idempotencyKey: randomUUID(), input, clientAddress: address });
    };
    // Two sessions at one address hold what the address may hold (10 + 10 of 20).
    await hold(10);
    await hold(10);
    // A third session there begins an order of one more unit; its process dies before the order is made.
    const abandoned = async (clientAddress: string) => {
      const session = await newSession();
      const cart = await newCart(session.id);
      const input = { cartId: cart.id, email: "c@example.com", paymentMethod: "pm_card_visa" as const };
      const key = randomUUID();
      await assert.rejects(checkout({ session, idempotencyKey: key, input, clientAddress, crashAfter: stopAfter(RecoveryPoint.STARTED) }), SimulatedCrash);
      await expireLease(session.id, key);
      return session;
    };
    const over = await abandoned(address);
    const elsewhere = `completer-${randomUUID()}`;
    const fine = await abandoned(elsewhere);
    await completeAbandoned({ limit: 1000 });
    assert.equal(await db.order.count({ where: { sessionId: over.id } }), 0, "the address's limit applies to the completer's run too");
    const made = await db.order.findFirstOrThrow({ where: { sessionId: fine.id } });
    assert.equal(made.clientAddress, elsewhere, "the order made by the completer is counted against its address");
  });

  // PostgreSQL: a checkout locks its session's counter, then its address's (lib/orders/hold-limit.server.ts);
  // the counters' reaper, deleting every expired one in one statement, locked the address's first
  // (before it, in its scan) and waited for the session's: the checkout's next upsert made a deadlock.
  it("the counters' reaper never deadlocks with a checkout holding its counters (PostgreSQL)", { skip: !onPostgres }, async () => {
    const sessionKey = `hold:session:${randomUUID()}`;
    const addressKey = `hold:address:${randomUUID()}`;
    const past = Date.now() - 60_000;
    // Both expired; the address's comes first in the table and in the expiresAt index (one statement, in order).
    await db.$executeRaw`INSERT INTO "RateCount" (key, "expiresAt") VALUES (${addressKey}, ${new Date(past)}), (${sessionKey}, ${new Date(past + 1)})`;
    const upsert = `INSERT INTO "RateCount" (key, "expiresAt") VALUES ($1, now() + interval '1 minute')
      ON CONFLICT (key) DO UPDATE SET hits = "RateCount".hits + 1, "expiresAt" = EXCLUDED."expiresAt"`;
    const checkoutTx = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await checkoutTx.connect();
    try {
      await checkoutTx.query("BEGIN");
      await checkoutTx.query(upsert, [sessionKey]);
      const reaping = reapRateCounts();
      // The reaper waits for the session's counter (or, not locking what a checkout holds, is done).
      await lockWaitOr(reaping);
      await checkoutTx.query(upsert, [addressKey]);
      await checkoutTx.query("COMMIT");
      assert.ok((await reaping) >= 1, "the reaper deleted what it could");
    } finally {
      await checkoutTx.end();
    }
    const kept = await db.rateCount.findMany({ where: { key: { in: [sessionKey, addressKey] } }, orderBy: { key: "asc" } });
    assert.deepEqual(
      kept.map((c) => c.key),
      [addressKey, sessionKey],
      "the checkout's counters are there, renewed",
    );
  });

  it("sessions (API tokens) made before sessions expired end 30 days after they began: the backfill migration", async () => {
    const migrations = env().database.migrationsDir;
    const [backfill] = (await readdir(migrations)).filter((name) => name.endsWith("_session_expiry_backfill"));
    assert.ok(backfill, "a migration backfills Session.expiresAt");
    const sql = await readFile(path.join(migrations, backfill, "migration.sql"), "utf8");
    const createdAt = new Date("2026-11-20T10:11:12.345Z");
    const later = new Date("2027-01-02T03:04:05.678Z");
    const [old, current] = [randomUUID(), randomUUID()];
    await db.session.createMany({
      data: [
        { id: old, createdAt },
        { id: current, createdAt, expiresAt: later },
      ],
    });
    const statements = sql
      .replace(/--.*$/gm, "")
      .split(";")
      .filter((s) => s.trim());
    for (const statement of statements) await db.$executeRawUnsafe(statement);
    const rows = await db.session.findMany({ where: { id: { in: [old, current] } } });
    const expiry = (id: string) => rows.find((r) => r.id === id)?.expiresAt?.toISOString();
    assert.equal(expiry(old), new Date(createdAt.getTime() + 30 * 86_400_000).toISOString());
    assert.equal(expiry(current), later.toISOString(), "a session that has its expiry keeps it");
  });
});
