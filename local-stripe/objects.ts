// The Stripe API objects this server keeps, in Stripe's JSON shapes, and the
// errors it answers with. Each secret key is its own account.
import { randomBytes } from "node:crypto";
import { TEST_CARDS } from "./cards";
import type { StoredObject } from "./store";

export const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString("base64url").replace(/[-_]/g, "x")}`;
const now = () => Math.floor(Date.now() / 1000);

export class StripeError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.message));
  }
  static invalid(message: string, param?: string, code?: string) {
    return new StripeError(400, { type: "invalid_request_error", message, ...(param && { param }), ...(code && { code }) });
  }
  static missing(kind: string, id: string, param?: string) {
    return new StripeError(404, {
      type: "invalid_request_error",
      code: "resource_missing",
      message: `No such ${kind}: '${id}'`,
      ...(param && { param }),
    });
  }
}

export type PaymentIntent = {
  id: string;
  object: "payment_intent";
  amount: number;
  amount_received: number;
  currency: string;
  status: "requires_payment_method" | "requires_confirmation" | "succeeded" | "canceled";
  payment_method: string | null;
  payment_method_types: string[];
  capture_method: "automatic";
  confirmation_method: "automatic";
  client_secret: string;
  created: number;
  customer: string | null;
  description: string | null;
  receipt_email: string | null;
  latest_charge: string | null;
  last_payment_error: Record<string, unknown> | null;
  canceled_at: number | null;
  cancellation_reason: string | null;
  metadata: Record<string, string>;
  livemode: false;
};

export type Charge = {
  id: string;
  object: "charge";
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  currency: string;
  status: "succeeded" | "failed";
  paid: boolean;
  captured: boolean;
  refunded: boolean;
  payment_intent: string;
  payment_method: string;
  payment_method_details: { type: "card"; card: { brand: string; last4: string } };
  failure_code: string | null;
  failure_message: string | null;
  outcome: { type: string; reason: string | null };
  metadata: Record<string, string>;
  created: number;
  livemode: false;
};

export type Event = {
  id: string;
  object: "event";
  type: string;
  api_version: string;
  created: number;
  data: { object: unknown };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
};

export type Refund = {
  id: string;
  object: "refund";
  amount: number;
  currency: string;
  charge: string;
  payment_intent: string;
  status: "succeeded";
  reason: string | null;
  metadata: Record<string, string>;
  created: number;
};

export type Customer = {
  id: string;
  object: "customer";
  email: string | null;
  name: string | null;
  metadata: Record<string, string>;
  created: number;
  livemode: false;
};

export type List<T> = { object: "list"; url: string; has_more: boolean; data: T[] };

export type RequestContext = { requestId: string; idempotencyKey: string | null };

export class Account {
  readonly paymentIntents = new Map<string, PaymentIntent>();
  readonly charges = new Map<string, Charge>();
  readonly events: Event[] = [];
  readonly refunds = new Map<string, Refund>();
  readonly customers = new Map<string, Customer>();
  /** Called for every new event (webhook delivery). */
  onEvent: (event: Event) => void = () => {};
  /** Called with every object created or changed, and every new event (the store keeps them). */
  onSave: (object: StoredObject) => void = () => {};

  constructor(
    readonly key: string,
    private readonly apiVersion: string,
  ) {}

  private emit(type: string, object: unknown, ctx: RequestContext) {
    const event: Event = {
      id: newId("evt"),
      object: "event",
      type,
      api_version: this.apiVersion,
      created: now(),
      data: { object: structuredClone(object) },
      livemode: false,
      pending_webhooks: 0,
      request: { id: ctx.requestId, idempotency_key: ctx.idempotencyKey },
    };
    this.events.push(event);
    // Every change to an object is followed by its event, so this is where it is kept.
    this.onSave(object as StoredObject);
    this.onSave(event);
    this.onEvent(event);
  }

  /** Puts back an object read from the store: no event, no webhook. */
  restore(object: StoredObject) {
    if (object.object === "payment_intent") this.paymentIntents.set(object.id, object as PaymentIntent);
    else if (object.object === "charge") this.charges.set(object.id, object as Charge);
    else if (object.object === "refund") this.refunds.set(object.id, object as Refund);
    else if (object.object === "customer") this.customers.set(object.id, object as Customer);
    else if (object.object === "event") this.events.push(object as Event);
  }

  createPaymentIntent(params: Record<string, unknown>, ctx: RequestContext): PaymentIntent {
    const amount = Number(params.amount);
    if (!Number.isInteger(amount) || amount < 50) {
      throw StripeError.invalid("Amount must be at least 50 cents", "amount", "amount_too_small");
    }
    const currency = String(params.currency ?? "").toLowerCase();
    if (!/^[a-z]{3}$/.test(currency)) throw StripeError.invalid("Invalid currency", "currency");
    const paymentMethod = params.payment_method ? String(params.payment_method) : null;
    if (paymentMethod) this.card(paymentMethod);

    const id = newId("pi");
    const intent: PaymentIntent = {
      id,
      object: "payment_intent",
      amount,
      amount_received: 0,
      currency,
      status: paymentMethod ? "requires_confirmation" : "requires_payment_method",
      payment_method: paymentMethod,
      payment_method_types: ["card"],
      capture_method: "automatic",
      confirmation_method: "automatic",
      client_secret: `${id}_secret_${randomBytes(12).toString("hex")}`,
      created: now(),
      customer: params.customer ? String(params.customer) : null,
      description: params.description ? String(params.description) : null,
      receipt_email: params.receipt_email ? String(params.receipt_email) : null,
      latest_charge: null,
      last_payment_error: null,
      canceled_at: null,
      cancellation_reason: null,
      metadata: stringRecord(params.metadata),
      livemode: false,
    };
    this.paymentIntents.set(id, intent);
    this.emit("payment_intent.created", intent, ctx);
    if (params.confirm === "true" || params.confirm === true) return this.confirm(intent, paymentMethod, ctx);
    return intent;
  }

  retrievePaymentIntent(id: string): PaymentIntent {
    const intent = this.paymentIntents.get(id);
    if (!intent) throw StripeError.missing("payment_intent", id, "intent");
    return intent;
  }

  /** Newest first; `created` filters (gt, gte, lt, lte or an exact time) as Stripe's list endpoints take them. */
  listPaymentIntents(params: Record<string, unknown>): List<PaymentIntent> {
    const created = createdFilter(params.created);
    const data = [...this.paymentIntents.values()].filter((pi) => created(pi.created)).reverse();
    return paginate("/v1/payment_intents", data, params);
  }

  confirmPaymentIntent(id: string, params: Record<string, unknown>, ctx: RequestContext): PaymentIntent {
    const intent = this.retrievePaymentIntent(id);
    const paymentMethod = params.payment_method ? String(params.payment_method) : intent.payment_method;
    if (paymentMethod) this.card(paymentMethod);
    if (intent.status === "succeeded" || intent.status === "canceled") {
      throw new StripeError(400, {
        type: "invalid_request_error",
        code: "payment_intent_unexpected_state",
        message: `This PaymentIntent's status is ${intent.status}, and it cannot be confirmed.`,
        payment_intent: intent,
      });
    }
    return this.confirm(intent, paymentMethod, ctx);
  }

  private card(paymentMethod: string) {
    const card = TEST_CARDS[paymentMethod];
    if (!card) throw StripeError.missing("PaymentMethod", paymentMethod, "payment_method");
    return card;
  }

  /** Charges the card; a decline is a 402 card_error that carries the intent. */
  private confirm(intent: PaymentIntent, paymentMethod: string | null, ctx: RequestContext): PaymentIntent {
    if (!paymentMethod) {
      throw StripeError.invalid(
        "You cannot confirm this PaymentIntent because it's missing a payment method.",
        "payment_method",
        "payment_intent_unexpected_state",
      );
    }
    const card = this.card(paymentMethod);
    const { outcome } = card;
    const charge: Charge = {
      id: newId("ch"),
      object: "charge",
      amount: intent.amount,
      amount_captured: outcome.ok ? intent.amount : 0,
      amount_refunded: 0,
      currency: intent.currency,
      status: outcome.ok ? "succeeded" : "failed",
      paid: outcome.ok,
      captured: outcome.ok,
      refunded: false,
      payment_intent: intent.id,
      payment_method: paymentMethod,
      payment_method_details: { type: "card", card: { brand: card.brand, last4: card.last4 } },
      failure_code: outcome.ok ? null : outcome.code,
      failure_message: outcome.ok ? null : outcome.message,
      outcome: outcome.ok
        ? { type: "authorized", reason: null }
        : { type: "issuer_declined", reason: outcome.declineCode ?? outcome.code },
      metadata: {},
      created: now(),
      livemode: false,
    };
    this.charges.set(charge.id, charge);
    intent.payment_method = paymentMethod;
    intent.latest_charge = charge.id;

    if (outcome.ok) {
      intent.status = "succeeded";
      intent.amount_received = intent.amount;
      intent.last_payment_error = null;
      this.emit("charge.succeeded", charge, ctx);
      this.emit("payment_intent.succeeded", intent, ctx);
      return intent;
    }
    const error = {
      type: "card_error",
      code: outcome.code,
      ...(outcome.declineCode && { decline_code: outcome.declineCode }),
      message: outcome.message,
      charge: charge.id,
      payment_method: { id: paymentMethod, object: "payment_method", type: "card" },
      doc_url: `https://stripe.com/docs/error-codes/${outcome.code.replace(/_/g, "-")}`,
    };
    intent.status = "requires_payment_method";
    intent.last_payment_error = error;
    this.emit("charge.failed", charge, ctx);
    this.emit("payment_intent.payment_failed", intent, ctx);
    throw new StripeError(402, { ...error, payment_intent: structuredClone(intent) });
  }

  cancelPaymentIntent(id: string, params: Record<string, unknown>, ctx: RequestContext): PaymentIntent {
    const intent = this.retrievePaymentIntent(id);
    if (intent.status === "succeeded" || intent.status === "canceled") {
      throw new StripeError(400, {
        type: "invalid_request_error",
        code: "payment_intent_unexpected_state",
        message: `You cannot cancel this PaymentIntent because it has a status of ${intent.status}.`,
      });
    }
    intent.status = "canceled";
    intent.canceled_at = now();
    intent.cancellation_reason = params.cancellation_reason ? String(params.cancellation_reason) : null;
    this.emit("payment_intent.canceled", intent, ctx);
    return intent;
  }

  createRefund(params: Record<string, unknown>, ctx: RequestContext): Refund {
    let charge: Charge | undefined;
    if (params.charge) {
      charge = this.charges.get(String(params.charge));
      if (!charge) throw StripeError.missing("charge", String(params.charge), "charge");
    } else if (params.payment_intent) {
      const intent = this.retrievePaymentIntent(String(params.payment_intent));
      charge = intent.latest_charge ? this.charges.get(intent.latest_charge) : undefined;
    } else {
      throw StripeError.invalid("One of charge or payment_intent is required.", "charge");
    }
    if (!charge || charge.status !== "succeeded") {
      throw StripeError.invalid("This PaymentIntent does not have a successful charge to refund.", "payment_intent", "charge_not_refundable");
    }
    const left = charge.amount - charge.amount_refunded;
    const amount = params.amount === undefined ? left : Number(params.amount);
    if (!Number.isInteger(amount) || amount <= 0 || amount > left) {
      throw StripeError.invalid(
        left === 0 ? `Charge ${charge.id} has already been refunded.` : `Refund amount (${amount}) is greater than unrefunded amount on charge (${left})`,
        "amount",
        left === 0 ? "charge_already_refunded" : "amount_too_large",
      );
    }
    const refund: Refund = {
      id: newId("re"),
      object: "refund",
      amount,
      currency: charge.currency,
      charge: charge.id,
      payment_intent: charge.payment_intent,
      status: "succeeded",
      reason: params.reason ? String(params.reason) : null,
      metadata: stringRecord(params.metadata),
      created: now(),
    };
    this.refunds.set(refund.id, refund);
    charge.amount_refunded += amount;
    charge.refunded = charge.amount_refunded === charge.amount;
    this.emit("refund.created", refund, ctx);
    this.emit("charge.refunded", charge, ctx);
    return refund;
  }

  listCharges(params: Record<string, unknown>): List<Charge> {
    const pi = params.payment_intent ? String(params.payment_intent) : undefined;
    const data = [...this.charges.values()].filter((c) => !pi || c.payment_intent === pi).reverse();
    return paginate("/v1/charges", data, params);
  }

  retrieveCharge(id: string): Charge {
    const charge = this.charges.get(id);
    if (!charge) throw StripeError.missing("charge", id, "id");
    return charge;
  }

  createCustomer(params: Record<string, unknown>, ctx: RequestContext): Customer {
    const customer: Customer = {
      id: newId("cus"),
      object: "customer",
      email: params.email ? String(params.email) : null,
      name: params.name ? String(params.name) : null,
      metadata: stringRecord(params.metadata),
      created: now(),
      livemode: false,
    };
    this.customers.set(customer.id, customer);
    this.emit("customer.created", customer, ctx);
    return customer;
  }

  listEvents(params: Record<string, unknown>): List<Event> {
    const type = params.type ? String(params.type) : undefined;
    const data = this.events.filter((e) => !type || e.type === type).slice().reverse();
    return paginate("/v1/events", data, params);
  }

  retrieveEvent(id: string): Event {
    const event = this.events.find((e) => e.id === id);
    if (!event) throw StripeError.missing("event", id, "id");
    return event;
  }

  chargesFor(paymentIntentId: string): Charge[] {
    return [...this.charges.values()].filter((c) => c.payment_intent === paymentIntentId);
  }
}

/** Newest first, `limit` (1–100, default 10) at a time, after `starting_after`. */
function paginate<T extends { id: string }>(url: string, all: T[], params: Record<string, unknown>): List<T> {
  const limit = params.limit === undefined ? 10 : Number(params.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw StripeError.invalid("Invalid limit: must be between 1 and 100", "limit");
  const after = params.starting_after ? all.findIndex((o) => o.id === params.starting_after) + 1 : 0;
  const data = all.slice(after, after + limit);
  return { object: "list", url, has_more: after + limit < all.length, data };
}

function createdFilter(value: unknown): (created: number) => boolean {
  if (value === undefined) return () => true;
  const bound = (v: unknown, param: string) => {
    const n = Number(v);
    if (!Number.isInteger(n)) throw StripeError.invalid(`Invalid integer: ${String(v)}`, param, "parameter_invalid_integer");
    return n;
  };
  if (typeof value !== "object" || value === null) {
    const at = bound(value, "created");
    return (c) => c === at;
  }
  const range = value as Record<string, unknown>;
  const checks = Object.entries(range).map(([op, v]) => {
    const n = bound(v, `created[${op}]`);
    if (op === "gt") return (c: number) => c > n;
    if (op === "gte") return (c: number) => c >= n;
    if (op === "lt") return (c: number) => c < n;
    if (op === "lte") return (c: number) => c <= n;
    throw StripeError.invalid(`Received unknown parameter: created[${op}]`, `created[${op}]`, "parameter_unknown");
  });
  return (c) => checks.every((check) => check(c));
}

function stringRecord(value: unknown): Record<string, string> {
  if (!value || typeof value !== "object") return {};
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
}
