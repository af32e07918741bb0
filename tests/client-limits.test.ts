import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, it } from "node:test";
import { requestSignInLink } from "../lib/accounts.server";
import { db } from "../lib/db.server";
import { reapExpiredSessions } from "../lib/maintenance.server";
import { newCart, newSession } from "./helpers";
import { checkout } from "../lib/checkout.server";

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
});
