// Test data for lib's tests: sessions, carts, and the payment side's view.
import { randomBytes } from "node:crypto";
import { db } from "../lib/db.server";
import { seed } from "../prisma/seed";
import { ALL_ON, type Protections } from "../lib/protections";

export const STRIPE = `http://127.0.0.1:${process.env.LOCAL_STRIPE_PORT}`;

export async function newSession(protections: Protections = ALL_ON) {
  await seed();
  const id = randomBytes(18).toString("base64url");
  await db.session.create({ data: { id } });
  return { id, protections };
}

export async function newCart(sessionId: string, items: Record<string, number> = { mug: 1 }) {
  const cart = await db.cart.create({ data: { sessionId } });
  for (const [slug, quantity] of Object.entries(items)) {
    const product = await db.product.update({ where: { slug }, data: { stock: { increment: quantity } } });
    await db.cartItem.create({ data: { cartId: cart.id, productId: product.id, quantity } });
  }
  return cart;
}

type SidePI = { id: string; status: string; metadata: Record<string, string>; charges: { status: string }[] };

/** The PaymentIntents the local Stripe server holds for these orders. */
export async function paymentIntentsFor(orderIds: string[]): Promise<SidePI[]> {
  const ledger = (await (await fetch(`${STRIPE}/_control/ledger?account=sk_test_payonce_local`)).json()) as { paymentIntents: SidePI[] };
  return ledger.paymentIntents.filter((pi) => orderIds.includes(pi.metadata.order_id ?? ""));
}

/** Makes the lease on a record run out now, as if its holder had died. */
export async function expireLease(scope: string, key: string) {
  await db.idempotencyRecord.update({ where: { scope_key: { scope, key } }, data: { lockedUntil: new Date(Date.now() - 1) } });
}
