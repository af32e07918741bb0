// The cart: one open cart per session, priced on the server from the catalog.
import "server-only";
import { db, isForeignKeyViolation } from "../db/db.server";
import { SessionEndedError } from "../db/attempts.server";

export const MAX_QUANTITY = 10;

const withItems = { items: { include: { product: true }, orderBy: { id: "asc" } } } as const;

export async function openCart(sessionId: string) {
  return db.cart.findFirst({ where: { sessionId, status: "open" }, include: withItems, orderBy: { createdAt: "desc" } });
}

export type Cart = NonNullable<Awaited<ReturnType<typeof openCart>>>;

export function cartTotals(cart: Pick<Cart, "items"> | null) {
  const items = cart?.items ?? [];
  return {
    count: items.reduce((n, i) => n + i.quantity, 0),
    amountCents: items.reduce((sum, i) => sum + i.quantity * i.product.priceCents, 0),
    currency: items[0]?.product.currency ?? "usd",
  };
}

export class CartError extends Error {}

/** A cart write that met the foreign key: the session (and its cart with it) was reaped as this ran. */
const sessionGone = (error: unknown): never => {
  throw isForeignKeyViolation(error) ? new SessionEndedError() : error;
};

export async function addToCart(sessionId: string, productId: number, quantity: number) {
  const product = await db.product.findUnique({ where: { id: productId } });
  if (!product) throw new CartError("That product does not exist.");
  const cart = (await openCart(sessionId)) ?? (await db.cart.create({ data: { sessionId }, include: withItems }).catch(sessionGone));
  const inCart = cart.items.find((i) => i.productId === productId)?.quantity ?? 0;
  const next = Math.min(inCart + quantity, MAX_QUANTITY, product.stock);
  if (next <= inCart) {
    throw new CartError(product.stock <= inCart ? `Only ${product.stock} ${product.name} left.` : `At most ${MAX_QUANTITY} of each item.`);
  }
  await db.cartItem
    .upsert({
      where: { cartId_productId: { cartId: cart.id, productId } },
      create: { cartId: cart.id, productId, quantity: next },
      update: { quantity: next },
    })
    .catch(sessionGone);
}

export async function setQuantity(sessionId: string, productId: number, quantity: number) {
  const cart = await openCart(sessionId);
  if (!cart) throw new CartError("Your cart is empty.");
  if (quantity === 0) {
    await db.cartItem.deleteMany({ where: { cartId: cart.id, productId } });
    return;
  }
  const product = await db.product.findUnique({ where: { id: productId } });
  if (!product) throw new CartError("That product does not exist.");
  if (quantity > product.stock) throw new CartError(`Only ${product.stock} ${product.name} left.`);
  await db.cartItem.updateMany({ where: { cartId: cart.id, productId }, data: { quantity } });
}

/**
 * The cart the checkout page shows: the open one, or else one whose order is
 * not paid yet (declined, or a reload while paying), so it can be paid.
 */
export async function checkoutCart(sessionId: string) {
  const open = await openCart(sessionId);
  if (open && open.items.length > 0) return { cart: open, order: null };
  const unpaid = await db.order.findFirst({
    where: { sessionId, status: { in: ["awaiting_payment", "payment_failed"] } },
    orderBy: { createdAt: "desc" },
    include: { cart: { include: withItems } },
  });
  if (unpaid && (!open || unpaid.createdAt > open.createdAt)) return { cart: unpaid.cart, order: unpaid };
  return { cart: open, order: null };
}
