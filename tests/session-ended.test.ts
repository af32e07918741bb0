// A write for a session the reaper deleted as it ran (the session expired,
// and had nothing to keep) is told the session ended, never a 500, and never
// brings the row back without its end (expiresAt NULL) or past the limit of
// new sessions per address (issue 25 review).
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { describe, it } from "node:test";
import { signInWithLink } from "../lib/forms/accounts.server";
import { addToCart } from "../lib/orders/cart.server";
import { db } from "../lib/db/db.server";
import { ALL_OFF } from "../lib/demo/protections";
import { saveProtections } from "../lib/demo/protections.server";
import { armCrash } from "../lib/demo/crash.server";
import { SessionEndedError } from "../lib/db/attempts.server";
import { newSession } from "./helpers";

/** The id of a session that was stored, then reaped. */
async function reapedSession(): Promise<string> {
  const { id } = await newSession();
  await db.session.delete({ where: { id } });
  return id;
}

const isSessionEnded = (error: unknown) => error instanceof SessionEndedError;

describe("a write for a session that is gone", () => {
  it("signing in with a link: told the session ended, the link still unused, no session row", async () => {
    const other = await newSession();
    const token = randomBytes(24).toString("base64url");
    await db.signInLink.create({ data: { token, email: `gone-${randomUUID()}@example.com`, sessionId: other.id, expiresAt: new Date(Date.now() + 60_000) } });
    const id = await reapedSession();
    await assert.rejects(signInWithLink(id, token), isSessionEnded);
    assert.equal(await db.session.count({ where: { id } }), 0);
    assert.equal((await db.signInLink.findUniqueOrThrow({ where: { token } })).usedAt, null);
  });

  it("the demo switches: told the session ended, no session row", async () => {
    const id = await reapedSession();
    await assert.rejects(saveProtections(id, ALL_OFF), isSessionEnded);
    assert.equal(await db.session.count({ where: { id } }), 0);
  });

  it("the lab's crash: told the session ended, no session row", async () => {
    const id = await reapedSession();
    await assert.rejects(armCrash(id, "after_order"), isSessionEnded);
    assert.equal(await db.session.count({ where: { id } }), 0);
  });

  it("the cart: told the session ended, no cart", async () => {
    const id = await reapedSession();
    const mug = await db.product.findUniqueOrThrow({ where: { slug: "mug" } });
    await assert.rejects(addToCart(id, mug.id, 1), isSessionEnded);
    assert.equal(await db.cart.count({ where: { sessionId: id } }), 0);
  });
});
