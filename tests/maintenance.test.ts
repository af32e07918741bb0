import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, it } from "node:test";
import { checkout, RecoveryPoint } from "../lib/checkout.server";
import { SimulatedCrash } from "@payonce/kit";
import { db } from "../lib/db.server";
import { completeAbandoned, reapExpired } from "../lib/maintenance.server";
import { assertChargedOnce, expireLease, newCart, newSession } from "./helpers";

describe("maintenance", () => {
  for (const point of [RecoveryPoint.ORDER_CREATED, RecoveryPoint.PAYMENT_CREATED] as const) {
    it(`the completer finishes an attempt abandoned at ${point}, with no retry from the client`, async () => {
      const session = await newSession();
      const cart = await newCart(session.id);
      const req = { session, idempotencyKey: randomUUID(), input: { cartId: cart.id, email: "c@example.com", paymentMethod: "pm_card_visa" as const } };
      await assert.rejects(checkout({ ...req, crashAfter: point }), SimulatedCrash);
      // Still leased: the completer leaves a live attempt alone.
      await completeAbandoned();
      const record = await db.attempt.findUniqueOrThrow({ where: { scope_key: { scope: session.id, key: req.idempotencyKey } } });
      assert.equal(record.recoveryPoint, point);

      await expireLease(session.id, req.idempotencyKey);
      const { completed } = await completeAbandoned();
      assert.ok(completed >= 1);
      await assertChargedOnce(session.id);
      // And the client, coming back, gets the stored result.
      const later = await checkout(req);
      assert.equal(later.kind === "completed" && later.replayed && later.outcome.kind, "paid");
    });
  }

  it("the reaper deletes records past their retention, and only those", async () => {
    const session = await newSession();
    const cart = await newCart(session.id);
    const key = randomUUID();
    await checkout({ session, idempotencyKey: key, input: { cartId: cart.id, email: "r@example.com", paymentMethod: "pm_card_visa" } });
    const where = { scope_key: { scope: session.id, key } };
    await reapExpired();
    assert.ok(await db.attempt.findUnique({ where }));
    await db.attempt.update({ where, data: { expiresAt: new Date(Date.now() - 1000) } });
    assert.ok((await reapExpired()) >= 1);
    assert.equal(await db.attempt.findUnique({ where }), null);
  });
});
