// Test data for lib's tests: sessions, carts, and the payment side's view.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { db } from "../lib/db/db.server";
import { seed } from "../prisma/seed";
import type { CrashHook, CrashPoint } from "../lib/orders/crash-points";
import { SimulatedCrash } from "@payonce/kit";
import { paymentIntentsFor } from "./local-stripe-control";

export { STRIPE } from "./local-stripe-control";

export async function newSession() {
  await seed();
  const id = randomBytes(18).toString("base64url");
  await db.session.create({ data: { id } });
  return { id };
}

/** A checkout's crash hook that stops the run right after `at`, as a killed process would (the lease kept, nothing cleaned up). */
export const stopAfter =
  (at: CrashPoint): CrashHook =>
  (point) => {
    if (point === at) throw new SimulatedCrash(point);
  };

export async function newCart(sessionId: string, items: Record<string, number> = { mug: 1 }) {
  const cart = await db.cart.create({ data: { sessionId } });
  for (const [slug, quantity] of Object.entries(items)) {
    const product = await db.product.update({ where: { slug }, data: { stock: { increment: quantity } } });
    await db.cartItem.create({ data: { cartId: cart.id, productId: product.id, quantity } });
  }
  return cart;
}

/** Makes the lease on a record run out now, as if its holder had died. */
export async function expireLease(sessionId: string, key: string) {
  await db.attempt.update({ where: { scope_key: { scope: sessionId, key } }, data: { lockedUntil: new Date(Date.now() - 1) } });
}

/** One session's orders next to the PaymentIntents and charges Stripe holds for them. */
export async function paymentTruth(sessionId: string) {
  const orders = await db.order.findMany({ where: { sessionId }, orderBy: { createdAt: "asc" } });
  const intents = await paymentIntentsFor(orders.map((o) => o.id));
  return { orders, intents, succeededCharges: intents.flatMap((pi) => pi.charges).filter((c) => c.status === "succeeded").length };
}

/** The promise of the whole project: one paid order, one PaymentIntent, one charge. */
export async function assertChargedOnce(sessionId: string) {
  const t = await paymentTruth(sessionId);
  assert.equal(t.orders.length, 1, "orders");
  assert.equal(t.orders[0]?.status, "paid");
  assert.equal(t.intents.length, 1, "PaymentIntents");
  assert.equal(t.succeededCharges, 1, "successful charges");
}
