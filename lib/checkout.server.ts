// The checkout as atomic phases, after brandur/rocket-rides-atomic:
//
//   started ──create order──▶ order_created ──charge (Stripe)──▶ payment_created ──settle──▶ finished
//
// One user of lib/idempotent-operation.server.ts: each local phase is one
// transaction that also moves the attempt to its next recovery point; the
// Stripe call is a phase of its own, outside any transaction, made safe to
// repeat by a derived idempotency key. A retry of an unfinished attempt
// resumes at its recovery point and never repeats a finished phase.
import "server-only";
import { cartTotals, sessionCart } from "./cart.server";
import { CheckoutEventKind } from "../generated/sqlite/enums";
import { db, isUniqueViolation, type Tx } from "./db.server";
import type { OrderView } from "./api-schema";
import { RefusedInput } from "./refused-input";
import { checkoutOutcomeSchema, type CheckoutOutcome } from "./checkout-outcome";
import { FINISHED, requestFingerprint, STARTED, type Lease } from "./idempotency.server";
import { atomicPhase, runIdempotent, type IdempotentResult, type PhaseResult } from "./idempotent-operation.server";
import { chargeOrder, paymentOutcome, PaymentUnavailableError, type ChargeOutcome, type PaymentOutcome } from "./payments.server";
import { applyPaymentOutcome } from "./payment-settlement.server";
import { env } from "./env.server";
import { OutOfStockError, releaseStock, retakeStock, takeStock } from "./stock.server";
import type { PaymentMethodId } from "./payment-methods";
import type { Protections } from "./demo/protections";
import { attemptKeyFor, uniqueKeyFor, crashPoint, derivesStripeKeys, businessUniqueness } from "./demo/unprotected.server";

export const RecoveryPoint = {
  STARTED,
  ORDER_CREATED: "order_created",
  PAYMENT_CREATED: "payment_created",
  FINISHED,
} as const;

export type LineItem = { productId: number; quantity: number };

/** Who pays, with what, for what: the browser's cart, or an API client's items. */
export type CheckoutInput = { email: string; paymentMethod: PaymentMethodId } & ({ cartId: string } | { items: LineItem[] });

export type CheckoutRequest = {
  session: { id: string; protections: Protections };
  idempotencyKey: string;
  input: CheckoutInput;
  /** Browser: wait for a running attempt with this key and show its result (a replay). */
  waitForRunning?: boolean;
  /** Tests: die right after this point, as a killed process would (lease kept). */
  crashAfter?: CrashPoint;
};

/** Where a test may simulate a crash: after a recovery point, or between the Stripe call and its record. */
export type CrashPoint = (typeof RecoveryPoint)[keyof typeof RecoveryPoint] | "charge_sent";

export type CheckoutResult =
  | Exclude<IdempotentResult<CheckoutOutcome>, { kind: "retryable" }>
  /** Stripe did not answer for sure: not final, retry with the same key. */
  | { kind: "unavailable"; httpStatus: 502 | 503; message: string };

/** Wrong input found before anything is written (no record, no order). */
class CheckoutInputError extends RefusedInput {}

export async function checkout(request: CheckoutRequest): Promise<CheckoutResult> {
  const { session, input } = request;
  const items = await itemsToBuy(session.id, input);
  // What the payment phase learnt, for the settle phase of the same run (a resumed run asks Stripe).
  let outcome: PaymentOutcome | undefined;
  const result = await runIdempotent({
    sessionId: session.id,
    key: attemptKeyFor(session.protections, request.idempotencyKey),
    // What the key stands for: what is bought, who pays and with what.
    fingerprint: requestFingerprint("POST", "/checkout", { ...input, items }),
    request: JSON.stringify(input),
    outcome: checkoutOutcomeSchema,
    waitForRunning: request.waitForRunning,
    phases: {
      [RecoveryPoint.STARTED]: (lease) => createOrderPhase(request, lease),
      [RecoveryPoint.ORDER_CREATED]: async (lease) => {
        outcome = await chargePhase(request, lease);
        return { next: RecoveryPoint.PAYMENT_CREATED, detail: `${outcome.paymentIntentId} ${outcome.kind}` };
      },
      [RecoveryPoint.PAYMENT_CREATED]: (lease) => settlePhase(request, lease, outcome),
    },
    beforePhase: (point) => crashPoint(point, request.crashAfter),
    retryable: (error) => error instanceof PaymentUnavailableError,
    onEvent: (attemptId, kind, detail) => logEvent(session.id, attemptId, kind, detail),
  });
  if (result.kind !== "retryable") return result;
  const error = result.error as PaymentUnavailableError;
  return { kind: "unavailable", httpStatus: error.httpStatus, message: error.message };
}

/** The line items, checked before anything is written. */
async function itemsToBuy(sessionId: string, input: CheckoutInput): Promise<LineItem[]> {
  if ("items" in input) {
    if (input.items.length === 0) throw new CheckoutInputError("Add at least one item.");
    const found = await db.product.count({ where: { id: { in: input.items.map((i) => i.productId) } } });
    if (found !== new Set(input.items.map((i) => i.productId)).size) throw new CheckoutInputError("An item is not in the catalog.");
    return input.items;
  }
  const cart = await sessionCart(sessionId, input.cartId);
  if (!cart) throw new CheckoutInputError("This cart does not exist or is not yours. Reload the page.");
  if (cart.items.length === 0) throw new CheckoutInputError("Your cart is empty.");
  return cart.items.map((i) => ({ productId: i.productId, quantity: i.quantity }));
}

/**
 * Phase 1 (local, one transaction): turn the cart into an order, taking stock
 * conditionally. Layer 3: one order per cart, so a second attempt for the
 * same cart (another tab, another key) joins the existing order instead.
 */
async function createOrderPhase(request: CheckoutRequest, lease: Lease): Promise<PhaseResult<CheckoutOutcome>> {
  const { session, input } = request;
  const unique = businessUniqueness(session.protections);
  try {
    return await atomicPhase(lease, async (tx) => {
      // An API order brings its items: they become a cart of its own, checked out at once.
      const include = { items: { include: { product: true } } } as const;
      const cart =
        "cartId" in input
          ? await tx.cart.findUniqueOrThrow({ where: { id: input.cartId }, include })
          : await tx.cart.create({ data: { sessionId: session.id, status: "checked_out", items: { create: input.items } }, include });
      if (unique) {
        const existing = await tx.order.findUnique({ where: { checkoutKey: cart.id } });
        if (existing) {
          // Paying again after the hold window gave its units back: take them again first.
          if (!(await retakeStock(tx, existing.id))) throw new OutOfStockError(`Sorry, an item of this order sold out in the meantime.`);
          return { next: RecoveryPoint.ORDER_CREATED, orderId: existing.id };
        }
      }
      // Layer 3 again: stock only goes down while there is enough of it.
      await takeStock(tx, cart.items, unique);
      const totals = cartTotals(cart);
      const order = await tx.order.create({
        data: {
          sessionId: session.id,
          cartId: cart.id,
          checkoutKey: uniqueKeyFor(session.protections, cart.id),
          email: input.email,
          amountCents: totals.amountCents,
          currency: totals.currency,
          items: {
            create: cart.items.map((i) => ({
              productId: i.productId,
              name: i.product.name,
              unitPriceCents: i.product.priceCents,
              quantity: i.quantity,
            })),
          },
        },
      });
      await tx.cart.update({ where: { id: cart.id }, data: { status: "checked_out" } });
      return { next: RecoveryPoint.ORDER_CREATED, orderId: order.id };
    });
  } catch (error) {
    if (error instanceof OutOfStockError) {
      // Final and replayable; nothing was written and nothing will be charged.
      return atomicPhase(lease, async () => ({ finish: { kind: "out_of_stock", message: error.message } }));
    }
    // Another attempt created this cart's order a moment ago: join it.
    if (isUniqueViolation(error)) return createOrderPhase(request, lease);
    throw error;
  }
}

/**
 * Phase 2 (foreign): charge at Stripe, then record the PaymentIntent on the
 * order (a local step that moves the attempt on). A crash between the two is harmless: the retry repeats the call with
 * the same derived key and Stripe answers with the same PaymentIntent.
 */
async function chargePhase(request: CheckoutRequest, lease: Lease): Promise<PaymentOutcome> {
  const record = await db.attempt.findUniqueOrThrow({ where: { id: lease.attemptId }, include: { order: true } });
  const order = record.order;
  if (!order) throw new Error(`attempt ${record.id} reached order_created without an order`);

  const outcome: ChargeOutcome =
    order.status === "paid" && order.paymentIntentId
      ? { kind: "succeeded", paymentIntentId: order.paymentIntentId, keyGeneration: order.paymentKeyGeneration }
      : await chargeOrder({
          orderId: order.id,
          orderCreatedAt: order.createdAt,
          attemptId: record.id,
          existingPaymentIntentId: order.paymentIntentId,
          keyGeneration: order.paymentKeyGeneration,
          amountCents: order.amountCents,
          currency: order.currency,
          paymentMethod: request.input.paymentMethod,
          email: order.email,
          returnUrl: `${env().publicUrl}/checkout/return`,
          deriveKeys: derivesStripeKeys(request.session.protections),
        });
  crashPoint("charge_sent", request.crashAfter);

  await atomicPhase(lease, async (tx) => {
    // New, or a new one replacing a PaymentIntent canceled after an abandoned authentication.
    if (order.paymentIntentId !== outcome.paymentIntentId) {
      await tx.order.update({ where: { id: order.id }, data: { paymentIntentId: outcome.paymentIntentId, paymentKeyGeneration: outcome.keyGeneration } });
    }
    return { next: RecoveryPoint.PAYMENT_CREATED };
  });
  return outcome;
}

/**
 * Phase 3 (local, one transaction): settle the order from the payment outcome
 * and store the final response. Order states only move forward (order-state.ts):
 * a paid order stays paid whatever a late attempt saw.
 */
async function settlePhase(request: CheckoutRequest, lease: Lease, known?: PaymentOutcome): Promise<PhaseResult<CheckoutOutcome>> {
  const record = await db.attempt.findUniqueOrThrow({ where: { id: lease.attemptId }, include: { order: true } });
  const order = record.order;
  if (!order?.paymentIntentId) throw new Error(`attempt ${record.id} reached payment_created without a PaymentIntent`);
  // Resuming after a crash: ask Stripe where the PaymentIntent stands.
  const outcome = known ?? (await paymentOutcome(order.paymentIntentId));

  return atomicPhase(lease, async (tx) => {
    await applyPaymentOutcome(tx, order.id, outcome);
    // An API order cannot be paid again (a retry is a new key, a new order): its units go back now.
    if (outcome.kind === "declined" && "items" in request.input) await releaseStock(tx, order.id);
    return { finish: checkoutOutcome(await orderView(tx, order.id), outcome) };
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
  return {
    id: order.id,
    status: order.status,
    email: order.email,
    amountCents: order.amountCents,
    currency: order.currency,
    paymentIntentId: order.paymentIntentId,
    ...(order.notice && { notice: order.notice }),
    items: order.items.map((i) => ({ productId: i.productId, name: i.name, unitPriceCents: i.unitPriceCents, quantity: i.quantity })),
    createdAt: order.createdAt.toISOString(),
  };
}

/** The ledger's timeline: each step the kit reports is one of the checkout's event kinds. */
async function logEvent(sessionId: string, attemptId: string, kind: string, detail?: string) {
  if (!(kind in CheckoutEventKind)) throw new Error(`not a checkout event kind: ${kind}`);
  await db.checkoutEvent.create({ data: { sessionId, attemptId, kind: kind as CheckoutEventKind, detail } });
}
