// The Stripe API objects this server keeps, in Stripe's JSON shapes, and the
// errors it answers with. Each secret key is its own account.
import { randomBytes } from "node:crypto";
import { TEST_CARDS } from "./cards";
import { cardDetails, chargeShape, customerShape, paymentIntentShape, paymentMethodCardShape, paymentMethodShape, refundShape } from "./shapes";
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
  /** An object named in the body that does not exist: 400, naming the param. */
  static missingParam(kind: string, id: string, param: string) {
    return new StripeError(400, { type: "invalid_request_error", code: "resource_missing", message: `No such ${kind}: '${id}'`, param });
  }
  /** An object in the URL that does not exist: 404. */
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
  amount_capturable: number;
  currency: string;
  status: "requires_payment_method" | "requires_confirmation" | "requires_action" | "requires_capture" | "succeeded" | "canceled";
  /** Set while 3-D Secure waits for the customer (requires_action). */
  next_action: NextAction | null;
  payment_method: string | null;
  payment_method_types: string[];
  capture_method: "automatic" | "automatic_async" | "manual";
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

/** Where to send the customer: Stripe's page with a return_url, else one for Stripe.js. */
export type NextAction =
  | { type: "redirect_to_url"; redirect_to_url: { url: string; return_url: string } }
  | { type: "use_stripe_sdk"; use_stripe_sdk: { type: "three_d_secure_redirect"; stripe_js: string } };

export type Charge = {
  id: string;
  object: "charge";
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  balance_transaction: string | null;
  customer: string | null;
  receipt_email: string | null;
  currency: string;
  status: "succeeded" | "failed";
  paid: boolean;
  captured: boolean;
  refunded: boolean;
  payment_intent: string;
  payment_method: string;
  payment_method_details: { type: "card"; card: { brand: string; last4: string } & Record<string, unknown> };
  failure_code: string | null;
  failure_message: string | null;
  outcome: { type: string; reason: string | null } & Record<string, unknown>;
  metadata: Record<string, string>;
  created: number;
  livemode: false;
};

export type PaymentMethod = {
  id: string;
  object: "payment_method";
  type: "card";
  card: { brand: string; last4: string; exp_month: number; exp_year: number; funding: "credit"; country: "US" } & Record<string, unknown>;
  billing_details: Record<string, unknown>;
  customer: string | null;
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
  balance_transaction: string;
  payment_method: string;
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
  invoice_prefix: string;
  email: string | null;
  name: string | null;
  metadata: Record<string, string>;
  created: number;
  livemode: false;
};

export type List<T> = { object: "list"; url: string; has_more: boolean; data: T[] };

/** `origin`: where this server is reached (the authentication page's address). */
export type RequestContext = { requestId: string; idempotencyKey: string | null; origin: string };

/** Stripe's words when the customer fails (or abandons) 3-D Secure. */
const AUTHENTICATION_FAILURE = {
  type: "invalid_request_error",
  code: "payment_intent_authentication_failure",
  message:
    "The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.",
};

export class Account {
  readonly paymentIntents = new Map<string, PaymentIntent>();
  readonly charges = new Map<string, Charge>();
  readonly events: Event[] = [];
  readonly refunds = new Map<string, Refund>();
  readonly customers = new Map<string, Customer>();
  readonly paymentMethods = new Map<string, PaymentMethod>();
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
    else if (object.object === "payment_method") this.paymentMethods.set(object.id, object as PaymentMethod);
    else if (object.object === "event") this.events.push(object as Event);
  }

  createPaymentIntent(params: Record<string, unknown>, ctx: RequestContext): PaymentIntent {
    const currency = checkCurrency(params.currency);
    const amount = checkAmount(params.amount, currency);
    const paymentMethod = params.payment_method ? this.paymentMethod(String(params.payment_method), "payment_method").id : null;
    const customer = params.customer ? this.customerParam(String(params.customer)) : null;

    if (params.return_url !== undefined && params.confirm !== "true") {
      throw StripeError.invalid("The parameter `return_url` cannot be passed when creating a PaymentIntent unless `confirm` is set to true.", "return_url");
    }
    const id = newId("pi");
    const automatic = params.automatic_payment_methods as { enabled?: string; allow_redirects?: string } | undefined;
    const intent: PaymentIntent = {
      ...paymentIntentShape,
      ...(automatic && {
        automatic_payment_methods: { enabled: automatic.enabled === "true", ...(automatic.allow_redirects && { allow_redirects: automatic.allow_redirects }) },
      }),
      id,
      object: "payment_intent",
      amount,
      amount_received: 0,
      amount_capturable: 0,
      currency,
      status: paymentMethod ? "requires_confirmation" : "requires_payment_method",
      payment_method: paymentMethod,
      payment_method_types: ["card"],
      capture_method: (params.capture_method as PaymentIntent["capture_method"] | undefined) ?? "automatic",
      confirmation_method: "automatic",
      client_secret: `${id}_secret_${randomBytes(12).toString("hex")}`,
      created: now(),
      customer,
      description: params.description ? String(params.description) : null,
      receipt_email: params.receipt_email ? String(params.receipt_email) : null,
      latest_charge: null,
      last_payment_error: null,
      canceled_at: null,
      cancellation_reason: null,
      metadata: checkMetadata(params.metadata),
      livemode: false,
    };
    this.paymentIntents.set(id, intent);
    this.emit("payment_intent.created", intent, ctx);
    if (params.confirm === "true") return this.confirm(intent, paymentMethod, returnUrlParam(params), ctx);
    return intent;
  }

  /** Changes what may change before the payment is made; metadata keys merge ("" unsets one). */
  updatePaymentIntent(id: string, params: Record<string, unknown>, ctx: RequestContext): PaymentIntent {
    const intent = this.retrievePaymentIntent(id);
    const settled = intent.status === "succeeded" || intent.status === "canceled" || intent.status === "requires_capture";
    if (settled && (params.amount !== undefined || params.currency !== undefined || params.payment_method !== undefined)) {
      throw unexpectedState(intent, "updated");
    }
    if (params.currency !== undefined) intent.currency = checkCurrency(params.currency);
    if (params.amount !== undefined) intent.amount = checkAmount(params.amount, intent.currency);
    if (params.payment_method !== undefined) {
      intent.payment_method = this.paymentMethod(String(params.payment_method), "payment_method").id;
      if (intent.status === "requires_payment_method") intent.status = "requires_confirmation";
    }
    if (params.customer !== undefined) intent.customer = this.customerParam(String(params.customer));
    if (params.description !== undefined) intent.description = String(params.description) || null;
    if (params.receipt_email !== undefined) intent.receipt_email = String(params.receipt_email) || null;
    if (params.metadata !== undefined) intent.metadata = mergeMetadata(intent.metadata, params.metadata);
    this.emit("payment_intent.updated", intent, ctx);
    return intent;
  }

  /** Captures an authorized PaymentIntent (capture_method=manual), all of it or `amount_to_capture`. */
  capturePaymentIntent(id: string, params: Record<string, unknown>, ctx: RequestContext): PaymentIntent {
    const intent = this.retrievePaymentIntent(id);
    if (intent.status !== "requires_capture") throw unexpectedState(intent, "captured");
    const amount = params.amount_to_capture === undefined ? intent.amount_capturable : Number(params.amount_to_capture);
    if (amount <= 0 || amount > intent.amount_capturable) {
      throw StripeError.invalid(
        `Amount to capture must be at most the amount capturable (${intent.amount_capturable}).`,
        "amount_to_capture",
        "amount_too_large",
      );
    }
    const charge = this.charges.get(intent.latest_charge ?? "")!;
    charge.captured = true;
    charge.amount_captured = amount;
    intent.amount_received = amount;
    intent.amount_capturable = 0;
    intent.status = "succeeded";
    if (params.metadata !== undefined) intent.metadata = mergeMetadata(intent.metadata, params.metadata);
    this.emit("charge.captured", charge, ctx);
    this.emit("payment_intent.succeeded", intent, ctx);
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
    const paymentMethod = params.payment_method ? this.paymentMethod(String(params.payment_method), "payment_method").id : intent.payment_method;
    if (intent.status !== "requires_payment_method" && intent.status !== "requires_confirmation") {
      throw new StripeError(400, {
        type: "invalid_request_error",
        code: "payment_intent_unexpected_state",
        message: `This PaymentIntent's status is ${intent.status}, and it cannot be confirmed.`,
        payment_intent: intent,
      });
    }
    return this.confirm(intent, paymentMethod, returnUrlParam(params), ctx);
  }

  /**
   * A PaymentMethod by id. A test card's id (pm_card_visa) makes a new
   * PaymentMethod object, as Stripe does; an unknown id is a resource_missing.
   */
  private paymentMethod(id: string, param: string): PaymentMethod {
    const existing = this.paymentMethods.get(id);
    if (existing) return existing;
    const card = TEST_CARDS[id];
    if (!card) throw StripeError.missingParam("PaymentMethod", id, param);
    const method: PaymentMethod = {
      ...paymentMethodShape,
      id: newId("pm"),
      object: "payment_method",
      type: "card",
      card: {
        ...paymentMethodCardShape(card.brand, card.last4),
        brand: card.brand,
        last4: card.last4,
        exp_month: 12,
        exp_year: new Date().getFullYear() + 3,
        funding: "credit",
        country: "US",
      },
      billing_details: {
        address: { city: null, country: null, line1: null, line2: null, postal_code: null, state: null },
        email: null,
        name: null,
        phone: null,
        tax_id: null,
      },
      customer: null,
      metadata: {},
      created: now(),
      livemode: false,
    };
    this.paymentMethods.set(method.id, method);
    this.onSave(method);
    return method;
  }

  /** The test card behind a PaymentMethod (they differ by their last four digits). */
  private card(paymentMethodId: string) {
    const method = this.paymentMethods.get(paymentMethodId)!;
    return Object.values(TEST_CARDS).find((c) => c.last4 === method.card.last4 && c.brand === method.card.brand)!;
  }

  retrievePaymentMethod(id: string): PaymentMethod {
    const method = this.paymentMethods.get(id);
    if (!method) throw StripeError.missing("PaymentMethod", id, "payment_method");
    return method;
  }

  private customerParam(id: string): string {
    if (!this.customers.has(id)) throw StripeError.missingParam("customer", id, "customer");
    return id;
  }

  retrieveCustomer(id: string): Customer {
    const customer = this.customers.get(id);
    if (!customer) throw StripeError.missing("customer", id, "id");
    return customer;
  }

  /**
   * Confirms with a card: a card that asks for 3-D Secure waits for the
   * customer (requires_action), any other is charged at once.
   */
  private confirm(intent: PaymentIntent, paymentMethod: string | null, returnUrl: string | null, ctx: RequestContext): PaymentIntent {
    if (!paymentMethod) {
      throw StripeError.invalid(
        "You cannot confirm this PaymentIntent because it's missing a payment method.",
        "payment_method",
        "payment_intent_unexpected_state",
      );
    }
    const automatic = (intent as { automatic_payment_methods?: { enabled: boolean; allow_redirects?: string } | null }).automatic_payment_methods;
    if (automatic?.enabled && automatic.allow_redirects !== "never" && !returnUrl) {
      throw StripeError.invalid(
        "A return_url must be specified because this Payment Intent is configured to automatically accept the payment methods enabled in the Dashboard, some of which may require a full page redirect to succeed. If you do not want to accept redirect-based payment methods, set automatic_payment_methods[allow_redirects] to never when creating Setup Intents and Payment Intents.",
        "return_url",
      );
    }
    if (this.card(paymentMethod).authenticate) {
      const page = `${ctx.origin}/3d_secure_2/hosted?${new URLSearchParams({ payment_intent: intent.id, client_secret: intent.client_secret })}`;
      intent.payment_method = paymentMethod;
      intent.status = "requires_action";
      intent.last_payment_error = null;
      intent.next_action = returnUrl
        ? { type: "redirect_to_url", redirect_to_url: { url: page, return_url: returnUrl } }
        : { type: "use_stripe_sdk", use_stripe_sdk: { type: "three_d_secure_redirect", stripe_js: page } };
      this.emit("payment_intent.requires_action", intent, ctx);
      return intent;
    }
    return this.charge(intent, paymentMethod, ctx);
  }

  /**
   * The customer's answer on the authentication page (local only): completed,
   * the card is charged; failed, the PaymentIntent wants another payment method.
   * Returns where the customer goes next (the return_url, with Stripe's query).
   */
  authenticate(id: string, clientSecret: string, completed: boolean, ctx: RequestContext): string | null {
    const intent = this.retrievePaymentIntent(id);
    if (intent.client_secret !== clientSecret) throw StripeError.missing("payment_intent", id, "intent");
    if (intent.status !== "requires_action" || !intent.next_action) throw unexpectedState(intent, "authenticated");
    const returnUrl = intent.next_action.type === "redirect_to_url" ? intent.next_action.redirect_to_url.return_url : null;
    intent.next_action = null;
    let status: "succeeded" | "failed" = "failed";
    if (completed) {
      try {
        status = this.charge(intent, intent.payment_method!, ctx).status === "succeeded" ? "succeeded" : "failed";
      } catch (error) {
        if (!(error instanceof StripeError) || error.status !== 402) throw error;
      }
    } else {
      intent.status = "requires_payment_method";
      intent.last_payment_error = { ...AUTHENTICATION_FAILURE, payment_method: { id: intent.payment_method, object: "payment_method", type: "card" } };
      this.emit("payment_intent.payment_failed", intent, ctx);
    }
    if (!returnUrl) return null;
    const back = new URL(returnUrl);
    back.searchParams.set("payment_intent", intent.id);
    back.searchParams.set("payment_intent_client_secret", intent.client_secret);
    back.searchParams.set("redirect_status", status);
    return back.toString();
  }

  /** Charges the card; a decline is a 402 card_error that carries the intent. */
  private charge(intent: PaymentIntent, paymentMethod: string, ctx: RequestContext): PaymentIntent {
    const { outcome } = this.card(paymentMethod);
    const manual = intent.capture_method === "manual";
    const method = this.paymentMethods.get(paymentMethod)!;
    const chargeId = newId("ch");
    const charge: Charge = {
      ...chargeShape,
      balance_transaction: outcome.ok ? newId("txn") : null,
      customer: intent.customer,
      receipt_email: intent.receipt_email,
      id: chargeId,
      object: "charge",
      amount: intent.amount,
      amount_captured: outcome.ok && !manual ? intent.amount : 0,
      amount_refunded: 0,
      currency: intent.currency,
      status: outcome.ok ? "succeeded" : "failed",
      paid: outcome.ok,
      captured: outcome.ok && !manual,
      refunded: false,
      payment_intent: intent.id,
      payment_method: paymentMethod,
      payment_method_details: { type: "card", card: cardDetails(method.card, intent.amount) },
      failure_code: outcome.ok ? null : outcome.code,
      failure_message: outcome.ok ? null : outcome.message,
      outcome: {
        advice_code: null,
        network_advice_code: null,
        network_decline_code: null,
        network_status: outcome.ok ? "approved_by_network" : "declined_by_network",
        reason: outcome.ok ? null : (outcome.declineCode ?? outcome.code),
        risk_level: "normal",
        seller_message: outcome.ok ? "Payment complete." : "The bank did not return any further details with this decline.",
        type: outcome.ok ? "authorized" : "issuer_declined",
      },
      metadata: {},
      created: now(),
      livemode: false,
    };
    this.charges.set(charge.id, charge);
    intent.payment_method = paymentMethod;
    intent.latest_charge = charge.id;

    if (outcome.ok && manual) {
      // Authorized only: the money is held until capture.
      intent.status = "requires_capture";
      intent.amount_capturable = intent.amount;
      intent.last_payment_error = null;
      this.emit("charge.succeeded", charge, ctx);
      this.emit("payment_intent.amount_capturable_updated", intent, ctx);
      return intent;
    }
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
    intent.amount_capturable = 0;
    intent.next_action = null;
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
      if (!charge) throw StripeError.missingParam("charge", String(params.charge), "charge");
    } else if (params.payment_intent) {
      const intent = this.paymentIntents.get(String(params.payment_intent));
      if (!intent) throw StripeError.missingParam("payment_intent", String(params.payment_intent), "payment_intent");
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
      ...refundShape,
      balance_transaction: newId("txn"),
      payment_method: charge.payment_method,
      id: newId("re"),
      object: "refund",
      amount,
      currency: charge.currency,
      charge: charge.id,
      payment_intent: charge.payment_intent,
      status: "succeeded",
      reason: params.reason ? String(params.reason) : null,
      metadata: checkMetadata(params.metadata),
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
    const created = createdFilter(params.created);
    const data = [...this.charges.values()].filter((c) => (!pi || c.payment_intent === pi) && created(c.created)).reverse();
    return paginate("/v1/charges", data, params);
  }

  retrieveRefund(id: string): Refund {
    const refund = this.refunds.get(id);
    if (!refund) throw StripeError.missing("refund", id, "id");
    return refund;
  }

  listRefunds(params: Record<string, unknown>): List<Refund> {
    const created = createdFilter(params.created);
    const data = [...this.refunds.values()]
      .filter(
        (r) => (!params.charge || r.charge === params.charge) && (!params.payment_intent || r.payment_intent === params.payment_intent) && created(r.created),
      )
      .reverse();
    return paginate("/v1/refunds", data, params);
  }

  retrieveCharge(id: string): Charge {
    const charge = this.charges.get(id);
    if (!charge) throw StripeError.missing("charge", id, "id");
    return charge;
  }

  createCustomer(params: Record<string, unknown>, ctx: RequestContext): Customer {
    const customer: Customer = {
      ...customerShape,
      invoice_prefix: randomBytes(4).toString("hex").toUpperCase(),
      id: newId("cus"),
      object: "customer",
      email: params.email ? String(params.email) : null,
      name: params.name ? String(params.name) : null,
      metadata: checkMetadata(params.metadata),
      created: now(),
      livemode: false,
    };
    this.customers.set(customer.id, customer);
    this.emit("customer.created", customer, ctx);
    return customer;
  }

  /** `type` may end in `*` (payment_intent.*); `types` is a list of exact types. */
  listEvents(params: Record<string, unknown>): List<Event> {
    const type = params.type ? String(params.type) : undefined;
    const types = params.types ? Object.values(params.types as Record<string, string>) : undefined;
    const created = createdFilter(params.created);
    const matches = (e: Event) =>
      (!type || (type.endsWith("*") ? e.type.startsWith(type.slice(0, -1)) : e.type === type)) && (!types || types.includes(e.type)) && created(e.created);
    return paginate("/v1/events", this.events.filter(matches).reverse(), params);
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
function returnUrlParam(params: Record<string, unknown>): string | null {
  if (params.return_url === undefined) return null;
  const url = String(params.return_url);
  if (!URL.canParse(url)) throw StripeError.invalid("Invalid URL: return_url must be an absolute URL.", "return_url", "url_invalid");
  return url;
}

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

const unexpectedState = (intent: PaymentIntent, verb: string) =>
  new StripeError(400, {
    type: "invalid_request_error",
    code: "payment_intent_unexpected_state",
    message: `This PaymentIntent could not be ${verb} because it has a status of ${intent.status}.`,
  });

// Currencies Stripe knows are ISO 4217 codes; three are zero-decimal among the common ones.
const CURRENCIES = new Set(Intl.supportedValuesOf("currency").map((c) => c.toLowerCase()));
const ZERO_DECIMAL = new Set(["bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"]);
// Stripe's minimum charge amounts, in each currency's smallest unit (docs: "Minimum and maximum charge amounts").
const MINIMUM: Record<string, number> = {
  usd: 50,
  eur: 50,
  gbp: 30,
  aud: 50,
  cad: 50,
  chf: 50,
  dkk: 250,
  hkd: 400,
  jpy: 50,
  mxn: 1000,
  nok: 300,
  nzd: 50,
  sek: 300,
  sgd: 50,
};
const MAXIMUM = 99_999_999;

function checkCurrency(value: unknown): string {
  const currency = String(value).toLowerCase();
  if (!CURRENCIES.has(currency))
    throw StripeError.invalid(
      `Invalid currency: ${currency}. Stripe currently supports these currencies: ${[...CURRENCIES].slice(0, 10).join(", ")}, …`,
      "currency",
    );
  return currency;
}

function checkAmount(value: unknown, currency: string): number {
  const amount = Number(value);
  const minimum = MINIMUM[currency] ?? (ZERO_DECIMAL.has(currency) ? 1 : 50);
  if (amount < minimum) {
    throw StripeError.invalid(`Amount must be at least ${minimum} ${currency} minor units`, "amount", "amount_too_small");
  }
  if (amount > MAXIMUM) throw StripeError.invalid(`Amount must be no more than ${MAXIMUM} ${currency} minor units`, "amount", "amount_too_large");
  return amount;
}

/** Stripe's metadata limits: at most 50 keys, keys up to 40 characters, values up to 500. */
function checkMetadata(value: unknown): Record<string, string> {
  if (!value || typeof value !== "object") return {};
  const entries = Object.entries(value as Record<string, string>).filter(([, v]) => v !== "");
  if (entries.length > 50) throw StripeError.invalid("You can specify up to 50 keys in metadata.", "metadata");
  for (const [key, item] of entries) {
    if (key.length > 40) throw StripeError.invalid(`Metadata keys can be at most 40 characters long: ${key}`, `metadata[${key}]`);
    if (item.length > 500) throw StripeError.invalid(`Metadata values can be at most 500 characters long (key ${key})`, `metadata[${key}]`);
  }
  return Object.fromEntries(entries);
}

function mergeMetadata(current: Record<string, string>, update: unknown): Record<string, string> {
  if (update === "") return {};
  const merged = { ...current, ...(update as Record<string, string>) };
  return checkMetadata(merged);
}
