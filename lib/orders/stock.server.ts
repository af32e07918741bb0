// Stock is held only while an order can still be paid. Units are taken when
// the order is created (conditionally: never below zero), go back when the
// order can no longer be paid (an API order declined) or has waited past the
// hold window (declined and abandoned, or never confirmed), and are taken
// again if a payment succeeds after all. If by then they are sold out, the
// order is refunded automatically (lib/worker/sold-out-refund.server.ts).
import "server-only";
import { db, type Tx } from "../db/db.server";
import { env } from "../env.server";

export class OutOfStockError extends Error {}

type Line = { productId: number; quantity: number };

/**
 * Takes every line's units while there are enough of them, or none at all:
 * on OutOfStockError the lines already taken are given back. Demo: without
 * layer 3 (`conditional` off) stock may go below zero.
 */
export async function takeStock(tx: Tx, lines: Line[], conditional = true): Promise<void> {
  const taken: Line[] = [];
  for (const line of lines) {
    if (!conditional) {
      await tx.product.update({ where: { id: line.productId }, data: { stock: { decrement: line.quantity } } });
      continue;
    }
    const { count } = await tx.product.updateMany({
      where: { id: line.productId, stock: { gte: line.quantity } },
      data: { stock: { decrement: line.quantity } },
    });
    if (count === 0) {
      for (const t of taken) await tx.product.update({ where: { id: t.productId }, data: { stock: { increment: t.quantity } } });
      const product = await tx.product.findUniqueOrThrow({ where: { id: line.productId } });
      throw new OutOfStockError(`Sorry, ${product.name} sold out while you were checking out.`);
    }
    taken.push(line);
  }
}

/** Gives an unpaid order's units back, once (conditional on the order, in the caller's transaction). */
export async function releaseStock(tx: Tx, orderId: string, now = new Date()): Promise<boolean> {
  const { count } = await tx.order.updateMany({
    where: { id: orderId, stockReleasedAt: null, status: { in: ["awaiting_payment", "payment_failed"] } },
    data: { stockReleasedAt: now },
  });
  if (count === 0) return false;
  const items = await tx.orderItem.findMany({ where: { orderId } });
  for (const item of items) await tx.product.update({ where: { id: item.productId }, data: { stock: { increment: item.quantity } } });
  return true;
}

/**
 * An order whose units went back is being paid after all: takes them again.
 * Returns false, taking nothing, when they are sold out by now.
 */
export async function retakeStock(tx: Tx, order: { id: string; stockReleasedAt: Date | null }): Promise<boolean> {
  if (!order.stockReleasedAt) return true;
  try {
    await takeStock(tx, await tx.orderItem.findMany({ where: { orderId: order.id } }));
  } catch (error) {
    if (!(error instanceof OutOfStockError)) throw error;
    return false;
  }
  await tx.order.update({ where: { id: order.id }, data: { stockReleasedAt: null } });
  return true;
}

/**
 * The worker's sweep: orders unpaid for longer than the hold window give
 * their units back. Returns how many did.
 */
export async function releaseExpiredHolds(now = new Date(), limit = 50): Promise<number> {
  const before = new Date(now.getTime() - env().stockHoldMs);
  const expired = await db.order.findMany({
    where: { status: { in: ["awaiting_payment", "payment_failed"] }, stockReleasedAt: null, updatedAt: { lt: before } },
    select: { id: true },
    take: limit,
  });
  let released = 0;
  for (const { id } of expired) if (await db.$transaction((tx) => releaseStock(tx, id, now))) released++;
  return released;
}
