// The checkout as atomic phases, after brandur/rocket-rides-atomic:
//
//   started ──create order──▶ order_created ──charge (Stripe)──▶ payment_created ──settle──▶ finished
//
// One user of @payonce/kit's runIdempotent(): each local phase is one
// transaction that also moves the attempt to its next recovery point; the
// Stripe call is a phase of its own, outside any transaction, made safe to
// repeat by a derived idempotency key. A retry of an unfinished attempt
// resumes at its recovery point and never repeats a finished phase.
import "server-only";
import { attempts, linkOrder, type Lease, runAttempt } from "../db/attempts.server";
import { randomUUID } from "node:crypto";
import { checkoutTimeline } from "./checkout-events.server";
import { db, insertIfAbsent, type Tx } from "../db/db.server";
import type { Order } from "../../generated/sqlite/client";
import type { OrderView } from "../api/api-schema";
import { atomicPhase, FINISHED, type IdempotentResult, type StoredMove, RefusedInput, requestFingerprint, STARTED, withdrawAttempt } from "@payonce/kit";
import { checkoutOutcomeSchema, type CheckoutOutcome } from "./checkout-outcome";
import { checkHoldLimit, HoldLimitReached, mostUnitsPerOrder } from "./hold-limit.server";
import { chargeOrder, paymentOutcome, PaymentUnavailableError, type ChargeOutcome, type PaymentOutcome } from "../payments/payments.server";
import { applyPaymentOutcome } from "./payment-settlement.server";
import { env } from "../env.server";
import { OutOfStockError, releaseStock, retakeStock, takeStock } from "./stock.server";
import type { PaymentMethodId } from "../payments/payment-methods";
import { PROTECTED, type Policy } from "../policy";
import type { CrashHook } from "./crash-points";

export const RecoveryPoint = {
  STARTED,
  ORDER_CREATED: "order_created",
  PAYMENT_CREATED: "payment_created",
  FINISHED,
} as const;

/** The first phase's note when layer 3 caught a second checkout of one cart (the ledger counts these). */
export const JOINED_ORDER = "joined the cart's order";

/** An API client's item, as sent: a product by slug or by id. */
export type OrderItemInput = { slug?: string; productId?: number; quantity: number };

/** Who pays, with what, for what: the browser's cart, or an API client's items. */
export type CheckoutInput = { email: string; paymentMethod: PaymentMethodId } & ({ cartId: string } | { items: OrderItemInput[] });

export type CheckoutRequest = {
  session: { id: string };
  /** What each protection layer does (lib/policy.ts): every one on by default. */
  policy?: Policy;
  idempotencyKey: string;
  input: CheckoutInput;
  /** Where Stripe sends the customer back after 3-D Secure (lib/payments/return-url.server.ts); PUBLIC_URL's by default. */
  returnUrl?: string;
  /** Who asks (lib/http/client-address.server.ts), for the bound on what one address holds unpaid. */
  clientAddress?: string;
  /** Browser: wait for a running attempt with this key and show its result (a replay). */
  waitForRunning?: boolean;
  /** Crash tests: called right after each crash point (lib/orders/crash-points.ts). */
  crashAfter?: CrashHook;
};

/** A request with its defaults filled in. */
type Resolved = CheckoutRequest & { returnUrl: string; policy: Policy };

/**
 * What an attempt stores, for a resume (the completer's, or a retry's): its
 * input, and what the fingerprint leaves out but its phases use: where Stripe
 * sends the customer back, and who asked (its hold limit).
 */
type StoredCheckout = CheckoutInput & Pick<CheckoutRequest, "returnUrl" | "clientAddress">;

/** An attempt's stored request, as the checkout it began as. */
export function storedCheckout(stored: string): Pick<CheckoutRequest, "input" | "returnUrl" | "clientAddress"> {
  const { returnUrl, clientAddress, ...input } = JSON.parse(stored) as StoredCheckout;
  return { input, returnUrl, clientAddress };
}

export type CheckoutResult =
  | Exclude<IdempotentResult<CheckoutOutcome>, { kind: "retryable" }>
  /** Stripe did not answer for sure: not final, retry with the same key. */
  | { kind: "unavailable"; httpStatus: 502 | 503; message: string };

/** Wrong input found before anything is written (no record, no order). */
class CheckoutInputError extends RefusedInput {}

/** What one attempt's phases carry on to the next in this process, instead of reading it back; a resumed attempt reads it again. */
type Carried = { lines?: Line[]; order?: PayableOrder; payment?: PaymentOutcome };

/** A line to buy, priced from the catalog. */
type Line = { productId: number; quantity: number; product: { name: string; priceCents: number; currency: string } };

type PayableOrder = Pick<Order, "id" | "status" | "email" | "amountCents" | "currency" | "createdAt" | "paymentIntentId" | "paymentKeyGeneration">;

export async function checkout(asked: CheckoutRequest): Promise<CheckoutResult> {
  const request: Resolved = { ...asked, returnUrl: asked.returnUrl ?? `${env().publicUrl}/checkout/return`, policy: asked.policy ?? PROTECTED };
  const { session, input, policy } = request;
  const carried: Carried = {};
  const result = await runAttempt({
    name: "checkout",
    ...attempts(),
    scope: session.id,
    key: policy.attemptKey(request.idempotencyKey),
    // What the key stands for: this cart (or these items), who pays and with what.
    fingerprint: requestFingerprint("POST", "/checkout", input),
    // Stored for a resume: the input, and what the phases use beyond it.
    request: JSON.stringify({ ...input, returnUrl: request.returnUrl, clientAddress: request.clientAddress } satisfies StoredCheckout),
    // A resumed attempt goes on as it began, whoever resumes it: its Stripe call is the same request
    // under the same key (another return_url would be Stripe's idempotency_error), its hold limit its client's.
    resume: (stored) => {
      if (!stored) return;
      const began = storedCheckout(stored);
      request.returnUrl = began.returnUrl ?? request.returnUrl;
      request.clientAddress = began.clientAddress ?? request.clientAddress;
    },
    // A new attempt only: a replay answers from its record without reading the cart.
    precondition: async () => {
      carried.lines = await linesToBuy(db, session.id, input);
      checkOrderSize(carried.lines, request);
    },
    outcome: checkoutOutcomeSchema,
    waitForRunning: request.waitForRunning,
    phases: {
      [RecoveryPoint.STARTED]: (lease) => createOrderPhase(request, lease, carried),
      [RecoveryPoint.ORDER_CREATED]: (lease) => chargePhase(request, lease, carried),
      [RecoveryPoint.PAYMENT_CREATED]: (lease) => settlePhase(request, lease, carried),
    },
    beforePhase: request.crashAfter,
    retryable: (error) => error instanceof PaymentUnavailableError,
    timeline: checkoutTimeline(session.id),
  });
  if (result.kind !== "retryable") return result;
  const error = result.error as PaymentUnavailableError;
  return { kind: "unavailable", httpStatus: error.httpStatus, message: error.message };
}

const unitsOf = (lines: Line[]) => lines.reduce((n, l) => n + l.quantity, 0);

/**
 * An order that alone is past what its client may hold unpaid could never
 * pass the hold limit, however long it waited: wrong input, not "later".
 */
function checkOrderSize(lines: Line[], request: CheckoutRequest): void {
  const most = mostUnitsPerOrder(request.clientAddress ?? null);
  if (unitsOf(lines) <= most) return;
  throw new CheckoutInputError(`One order may have at most ${most} items. Make this order smaller.`, "items" in request.input ? "/items" : "cartId");
}

/** The lines to buy, checked before anything is written: the session's cart, or an API client's items. */
async function linesToBuy(client: Tx, sessionId: string, input: CheckoutInput): Promise<Line[]> {
  if ("items" in input) {
    if (input.items.length === 0) throw new CheckoutInputError("Add at least one item.", "/items");
    const products = await client.product.findMany({
      where: { OR: input.items.map((i) => (i.slug !== undefined ? { slug: i.slug } : { id: i.productId })) },
      select: { id: true, slug: true, name: true, priceCents: true, currency: true },
    });
    const found = input.items.map((item) => ({ item, product: products.find((p) => p.slug === item.slug || p.id === item.productId) }));
    const missing = found.flatMap(({ product }, n) => (product ? [] : [{ field: `/items/${n}`, message: "No such product." }]));
    if (missing.length > 0) throw new CheckoutInputError("Some items are invalid; nothing was stored.", undefined, missing);
    const lines = found.map(({ item, product }) => ({ productId: product!.id, quantity: item.quantity, product: product! }));
    if (new Set(lines.map((l) => l.productId)).size !== lines.length) throw new CheckoutInputError("List each product once.", "/items");
    return lines;
  }
  // One statement for the cart's lines and their prices (Prisma's include would be a query per table).
  const rows = await client.$queryRaw<{ productId: number; quantity: number; name: string; priceCents: number; currency: string }[]>`
    SELECT i."productId", i."quantity", p."name", p."priceCents", p."currency"
    FROM "CartItem" i JOIN "Cart" c ON c."id" = i."cartId" JOIN "Product" p ON p."id" = i."productId"
    WHERE i."cartId" = ${input.cartId} AND c."sessionId" = ${sessionId}
    ORDER BY i."id"`;
  const lines = rows.map(({ productId, quantity, ...product }) => ({
    productId: Number(productId),
    quantity: Number(quantity),
    product: { ...product, priceCents: Number(product.priceCents) },
  }));
  if (lines.length > 0) return lines;
  // Nothing to buy: say why.
  const cart = await client.cart.count({ where: { id: input.cartId, sessionId } });
  throw new CheckoutInputError(cart ? "Your cart is empty." : "This cart does not exist or is not yours. Reload the page.");
}

/**
 * Phase 1 (local, one transaction): turn the cart into an order, taking stock
 * conditionally. Layer 3: one order per cart, so a second attempt for the
 * same cart (another tab, another key) joins the existing order instead.
 */
async function createOrderPhase(request: Resolved, lease: Lease, carried: Carried): Promise<StoredMove<CheckoutOutcome>> {
  const { session, input, policy } = request;
  try {
    return await atomicPhase(lease, async (tx) => {
      const lines = (carried.lines ??= await linesToBuy(tx, session.id, input));
      // An API order brings its items: they become a cart of its own, checked out at once.
      const cartId =
        "cartId" in input
          ? input.cartId
          : (
              await tx.cart.create({
                data: { sessionId: session.id, status: "checked_out", items: { create: lines.map((l) => ({ productId: l.productId, quantity: l.quantity })) } },
                select: { id: true },
              })
            ).id;
      const now = new Date();
      const order: PayableOrder = {
        id: randomUUID(),
        status: "awaiting_payment",
        email: input.email,
        amountCents: lines.reduce((sum, l) => sum + l.quantity * l.product.priceCents, 0),
        currency: lines[0]!.product.currency,
        createdAt: now,
        paymentIntentId: null,
        paymentKeyGeneration: 0,
      };
      const clientAddress = request.clientAddress ?? null;
      const row = { ...order, sessionId: session.id, cartId, checkoutKey: policy.uniqueKey(cartId), clientAddress, updatedAt: now };
      if (!(await insertIfAbsent(tx, "Order", row))) {
        // This cart has its order already (another tab, another key): join it.
        const existing = await tx.order.findUniqueOrThrow({ where: { checkoutKey: cartId } });
        // Paying again after the hold window gave its units back: take them again first, within
        // what this client may hold (refused: the transaction writes nothing).
        if (existing.stockReleasedAt) {
          const { _sum } = await tx.orderItem.aggregate({ _sum: { quantity: true }, where: { orderId: existing.id } });
          await checkHoldLimit(tx, { sessionId: session.id, clientAddress }, _sum.quantity ?? 0);
        }
        if (!(await retakeStock(tx, existing))) throw new OutOfStockError(`Sorry, an item of this order sold out in the meantime.`);
        carried.order = existing;
        await linkOrder(tx, lease, existing.id);
        return { next: RecoveryPoint.ORDER_CREATED, detail: JOINED_ORDER };
      }
      // What this client holds unpaid stays bounded (refused: the transaction writes nothing).
      await checkHoldLimit(tx, { sessionId: session.id, clientAddress }, unitsOf(lines));
      // Layer 3 again: stock only goes down while there is enough of it.
      await takeStock(tx, lines, policy.businessUniqueness);
      await tx.orderItem.createMany({
        data: lines.map((l) => ({
          orderId: order.id,
          productId: l.productId,
          name: l.product.name,
          unitPriceCents: l.product.priceCents,
          quantity: l.quantity,
        })),
      });
      if ("cartId" in input) await tx.cart.update({ where: { id: cartId }, data: { status: "checked_out" } });
      carried.order = order;
      await linkOrder(tx, lease, order.id);
      return { next: RecoveryPoint.ORDER_CREATED };
    });
  } catch (error) {
    carried.order = undefined;
    if (error instanceof HoldLimitReached) {
      // Not final: the same request may pass once the client's other orders are paid or released.
      await withdrawAttempt(lease);
      throw error;
    }
    if (error instanceof OutOfStockError) {
      // Final and replayable; nothing was written and nothing will be charged.
      return atomicPhase(lease, async () => ({ finish: { kind: "out_of_stock", message: error.message } }));
    }
    throw error;
  }
}

/** The order an attempt made, read back when a resumed run did not make it itself. */
async function attemptOrder(lease: Lease): Promise<Order> {
  const { order } = await db.attempt.findUniqueOrThrow({ where: { id: lease.attemptId }, select: { order: true } });
  if (!order) throw new Error(`attempt ${lease.attemptId} reached order_created without an order`);
  return order;
}

/**
 * Phase 2 (foreign): charge at Stripe, then record the PaymentIntent on the
 * order (a local step that moves the attempt on). A crash between the two is
 * harmless: the retry repeats the call with the same derived key and Stripe
 * answers with the same PaymentIntent.
 */
async function chargePhase(request: Resolved, lease: Lease, carried: Carried): Promise<StoredMove<CheckoutOutcome>> {
  const order = carried.order ?? (await attemptOrder(lease));
  const outcome: ChargeOutcome =
    order.status === "paid" && order.paymentIntentId
      ? { kind: "succeeded", paymentIntentId: order.paymentIntentId, keyGeneration: order.paymentKeyGeneration }
      : await chargeOrder({
          orderId: order.id,
          orderCreatedAt: order.createdAt,
          attemptId: lease.attemptId,
          existingPaymentIntentId: order.paymentIntentId,
          keyGenerations: {
            current: order.paymentKeyGeneration,
            moveOn: (next) => db.order.updateMany({ where: { id: order.id, paymentKeyGeneration: { lt: next } }, data: { paymentKeyGeneration: next } }),
          },
          amountCents: order.amountCents,
          currency: order.currency,
          paymentMethod: request.input.paymentMethod,
          email: order.email,
          returnUrl: request.returnUrl,
          policy: request.policy,
        });
  request.crashAfter?.("charge_sent");

  const result = await atomicPhase<CheckoutOutcome, Tx>(lease, async (tx) => {
    // New, or a new one replacing a PaymentIntent canceled after an abandoned authentication.
    if (order.paymentIntentId !== outcome.paymentIntentId) {
      await tx.order.update({ where: { id: order.id }, data: { paymentIntentId: outcome.paymentIntentId, paymentKeyGeneration: outcome.keyGeneration } });
    }
    return { next: RecoveryPoint.PAYMENT_CREATED, detail: `${outcome.paymentIntentId} ${outcome.kind}` };
  });
  carried.order = { ...order, paymentIntentId: outcome.paymentIntentId, paymentKeyGeneration: outcome.keyGeneration };
  carried.payment = outcome;
  return result;
}

/**
 * Phase 3 (local, one transaction): settle the order from the payment outcome
 * and store the final response. Order states only move forward (order-state.ts):
 * a paid order stays paid whatever a late attempt saw.
 */
async function settlePhase(request: Resolved, lease: Lease, carried: Carried): Promise<StoredMove<CheckoutOutcome>> {
  const order = carried.order ?? (await attemptOrder(lease));
  if (!order.paymentIntentId) throw new Error(`attempt ${lease.attemptId} reached payment_created without a PaymentIntent`);
  // Resuming after a crash: ask Stripe where the PaymentIntent stands.
  const outcome = carried.payment ?? (await paymentOutcome(order.paymentIntentId));

  return atomicPhase(lease, async (tx) => {
    const moved = await applyPaymentOutcome(tx, order.id, outcome, request.policy.onPaidAgain);
    // An API order cannot be paid again (a retry is a new key, a new order): its units go back now.
    if (outcome.kind === "declined" && "items" in request.input) await releaseStock(tx, order.id);
    // The order as it stands now: as this phase moved it, or as someone else (a webhook) did.
    const view = moved && carried.lines ? toOrderView(moved, orderLines(carried.lines)) : await orderView(tx, order.id);
    return { finish: checkoutOutcome(view, outcome) };
  });
}

/** What the customer is told: where the order stands now, and what the payment needs next. */
function checkoutOutcome(order: OrderView, payment: PaymentOutcome): CheckoutOutcome {
  if (payment.kind === "declined" && order.status === "payment_failed") return { kind: "declined", order, code: payment.code, message: payment.message };
  if (order.status !== "awaiting_payment") return { kind: "paid", order };
  // The bank asks the customer to authenticate: send them there (they come back to /checkout/return).
  if (payment.kind === "requires_action") return { kind: "awaiting_payment", order, nextAction: { type: "redirect_to_url", url: payment.redirectUrl } };
  return { kind: "awaiting_payment", order };
}

export async function orderView(tx: Tx, orderId: string): Promise<OrderView> {
  const order = await tx.order.findUniqueOrThrow({ where: { id: orderId }, include: { items: { orderBy: { id: "asc" } } } });
  return toOrderView(order, order.items);
}

const orderLines = (lines: Line[]) =>
  lines.map((l) => ({ productId: l.productId, name: l.product.name, unitPriceCents: l.product.priceCents, quantity: l.quantity }));

function toOrderView(order: Order, items: OrderView["items"]): OrderView {
  return {
    id: order.id,
    status: order.status,
    email: order.email,
    amountCents: order.amountCents,
    currency: order.currency,
    paymentIntentId: order.paymentIntentId,
    ...(order.notice && { notice: order.notice }),
    items: items.map((i) => ({ productId: i.productId, name: i.name, unitPriceCents: i.unitPriceCents, quantity: i.quantity })),
    createdAt: order.createdAt.toISOString(),
  };
}
