// PaymentIntents, the heart of a payment: created, updated, confirmed with a
// card (charged at once, or after 3-D Secure on the authentication page),
// captured when authorized only, canceled. Each change is followed by its
// events, as Stripe sends them.
import { randomBytes } from "node:crypto";
import type { Charges } from "./charges.ts";
import type { Customers } from "./customers.ts";
import { docUrl, StripeError } from "./errors.ts";
import type { Events, RequestContext } from "./events.ts";
import { newId, now } from "./ids.ts";
import { createdFilter, paginate, type List } from "./lists.ts";
import { checkAmount, checkCurrency, checkMetadata, checkPositiveAmount, mergeMetadata } from "./params.ts";
import type { PaymentMethods } from "./payment-methods.ts";
import { paymentIntentShape } from "./shapes.ts";

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
  automatic_payment_methods: { enabled: boolean; allow_redirects?: string } | null;
};

/** Where to send the customer: Stripe's page with a return_url, else one for Stripe.js. */
export type NextAction =
  | { type: "redirect_to_url"; redirect_to_url: { url: string; return_url: string } }
  | { type: "use_stripe_sdk"; use_stripe_sdk: { type: "three_d_secure_redirect"; stripe_js: string } };

/** Stripe's words when the customer fails (or abandons) 3-D Secure. */
const AUTHENTICATION_FAILURE = {
  type: "invalid_request_error",
  code: "payment_intent_authentication_failure",
  message:
    "The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.",
};

export class PaymentIntents {
  readonly byId = new Map<string, PaymentIntent>();

  constructor(
    private readonly events: Events,
    private readonly paymentMethods: PaymentMethods,
    private readonly customers: Customers,
    private readonly charges: Charges,
  ) {}

  create(params: Record<string, unknown>, ctx: RequestContext): PaymentIntent {
    const currency = checkCurrency(params.currency);
    const amount = checkAmount(params.amount, currency);
    const paymentMethod = params.payment_method ? this.paymentMethods.named(String(params.payment_method), "payment_method").id : null;
    const customer = params.customer ? this.customers.param(String(params.customer)) : null;

    if (params.return_url !== undefined && params.confirm !== "true") {
      throw StripeError.invalid("The parameter `return_url` cannot be passed when creating a PaymentIntent unless `confirm` is set to true.", "return_url");
    }
    const id = newId("pi");
    const intent: PaymentIntent = {
      ...paymentIntentShape,
      automatic_payment_methods: automaticPaymentMethods(params),
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
    this.byId.set(id, intent);
    this.events.emit("payment_intent.created", intent, ctx);
    if (params.confirm === "true") return this.confirmWith(intent, paymentMethod, returnUrlParam(params), ctx);
    return intent;
  }

  /** Changes what may change before the payment is made; metadata keys merge ("" unsets one). */
  update(id: string, params: Record<string, unknown>, ctx: RequestContext): PaymentIntent {
    const intent = this.retrieve(id);
    const settled = intent.status === "succeeded" || intent.status === "canceled" || intent.status === "requires_capture";
    if (settled && (params.amount !== undefined || params.currency !== undefined || params.payment_method !== undefined)) {
      throw unexpectedState(intent, "updated");
    }
    if (params.currency !== undefined) intent.currency = checkCurrency(params.currency);
    if (params.amount !== undefined) intent.amount = checkAmount(params.amount, intent.currency);
    if (params.payment_method !== undefined) {
      intent.payment_method = this.paymentMethods.named(String(params.payment_method), "payment_method").id;
      if (intent.status === "requires_payment_method") intent.status = "requires_confirmation";
    }
    if (params.customer !== undefined) intent.customer = this.customers.param(String(params.customer));
    if (params.description !== undefined) intent.description = String(params.description) || null;
    if (params.receipt_email !== undefined) intent.receipt_email = String(params.receipt_email) || null;
    if (params.metadata !== undefined) intent.metadata = mergeMetadata(intent.metadata, params.metadata);
    this.events.emit("payment_intent.updated", intent, ctx);
    return intent;
  }

  /** Captures an authorized PaymentIntent (capture_method=manual), all of it or `amount_to_capture`. */
  capture(id: string, params: Record<string, unknown>, ctx: RequestContext): PaymentIntent {
    const intent = this.retrieve(id);
    if (intent.status !== "requires_capture") throw unexpectedState(intent, "captured");
    const amount = params.amount_to_capture === undefined ? intent.amount_capturable : checkPositiveAmount(params.amount_to_capture, "amount_to_capture");
    if (amount > intent.amount_capturable) {
      throw StripeError.invalid(
        `Amount to capture must be at most the amount capturable (${intent.amount_capturable}).`,
        "amount_to_capture",
        "amount_too_large",
      );
    }
    const charge = this.charges.byId.get(intent.latest_charge ?? "")!;
    charge.captured = true;
    charge.amount_captured = amount;
    intent.amount_received = amount;
    intent.amount_capturable = 0;
    intent.status = "succeeded";
    if (params.metadata !== undefined) intent.metadata = mergeMetadata(intent.metadata, params.metadata);
    this.events.emit("charge.captured", charge, ctx);
    this.events.emit("payment_intent.succeeded", intent, ctx);
    return intent;
  }

  retrieve(id: string): PaymentIntent {
    const intent = this.byId.get(id);
    if (!intent) throw StripeError.missing("payment_intent", id, "intent");
    return intent;
  }

  /** Newest first; `created` filters (gt, gte, lt, lte or an exact time) as Stripe's list endpoints take them. */
  list(params: Record<string, unknown>): List<PaymentIntent> {
    const created = createdFilter(params.created);
    const data = [...this.byId.values()].filter((pi) => created(pi.created)).reverse();
    return paginate("/v1/payment_intents", "payment_intent", data, params);
  }

  confirm(id: string, params: Record<string, unknown>, ctx: RequestContext): PaymentIntent {
    const intent = this.retrieve(id);
    const paymentMethod = params.payment_method ? this.paymentMethods.named(String(params.payment_method), "payment_method").id : intent.payment_method;
    if (intent.status !== "requires_payment_method" && intent.status !== "requires_confirmation") {
      throw new StripeError(400, {
        type: "invalid_request_error",
        code: "payment_intent_unexpected_state",
        message: `This PaymentIntent's status is ${intent.status}, and it cannot be confirmed.`,
        payment_intent: intent,
      });
    }
    return this.confirmWith(intent, paymentMethod, returnUrlParam(params), ctx);
  }

  /**
   * Confirms with a card: a card that asks for 3-D Secure waits for the
   * customer (requires_action), any other is charged at once.
   */
  private confirmWith(intent: PaymentIntent, paymentMethod: string | null, returnUrl: string | null, ctx: RequestContext): PaymentIntent {
    if (!paymentMethod) {
      throw StripeError.invalid(
        "You cannot confirm this PaymentIntent because it's missing a payment method.",
        "payment_method",
        "payment_intent_unexpected_state",
      );
    }
    const automatic = intent.automatic_payment_methods;
    if (automatic?.enabled && automatic.allow_redirects !== "never" && !returnUrl) {
      throw StripeError.invalid(
        "A return_url must be specified because this Payment Intent is configured to automatically accept the payment methods enabled in the Dashboard, some of which may require a full page redirect to succeed. If you do not want to accept redirect-based payment methods, set automatic_payment_methods[allow_redirects] to never when creating Setup Intents and Payment Intents.",
        "return_url",
      );
    }
    if (this.paymentMethods.card(paymentMethod).authenticate) {
      const page = `${ctx.origin}/3d_secure_2/hosted?${new URLSearchParams({ payment_intent: intent.id, client_secret: intent.client_secret })}`;
      intent.payment_method = paymentMethod;
      intent.status = "requires_action";
      intent.last_payment_error = null;
      intent.next_action = returnUrl
        ? { type: "redirect_to_url", redirect_to_url: { url: page, return_url: returnUrl } }
        : { type: "use_stripe_sdk", use_stripe_sdk: { type: "three_d_secure_redirect", stripe_js: page } };
      this.events.emit("payment_intent.requires_action", intent, ctx);
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
    const intent = this.retrieve(id);
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
      intent.last_payment_error = {
        ...AUTHENTICATION_FAILURE,
        doc_url: docUrl(AUTHENTICATION_FAILURE.code),
        payment_method: structuredClone(this.paymentMethods.byId.get(intent.payment_method!)!),
      };
      this.events.emit("payment_intent.payment_failed", intent, ctx);
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
    const { outcome } = this.paymentMethods.card(paymentMethod);
    const charge = this.charges.make(intent, this.paymentMethods.byId.get(paymentMethod)!, outcome, ctx.origin);
    intent.payment_method = paymentMethod;
    intent.latest_charge = charge.id;

    if (outcome.ok && intent.capture_method === "manual") {
      // Authorized only: the money is held until capture.
      intent.status = "requires_capture";
      intent.amount_capturable = intent.amount;
      intent.last_payment_error = null;
      this.events.emit("charge.succeeded", charge, ctx);
      this.events.emit("payment_intent.amount_capturable_updated", intent, ctx);
      return intent;
    }
    if (outcome.ok) {
      intent.status = "succeeded";
      intent.amount_received = intent.amount;
      intent.last_payment_error = null;
      this.events.emit("charge.succeeded", charge, ctx);
      this.events.emit("payment_intent.succeeded", intent, ctx);
      return intent;
    }
    const error = {
      type: "card_error",
      code: outcome.code,
      ...(outcome.declineCode && { decline_code: outcome.declineCode }),
      message: outcome.message,
      charge: charge.id,
      doc_url: docUrl(outcome.code),
      payment_method: structuredClone(this.paymentMethods.byId.get(paymentMethod)!),
    };
    intent.status = "requires_payment_method";
    intent.last_payment_error = error;
    this.events.emit("charge.failed", charge, ctx);
    this.events.emit("payment_intent.payment_failed", intent, ctx);
    throw new StripeError(402, { ...error, payment_intent: structuredClone(intent) });
  }

  cancel(id: string, params: Record<string, unknown>, ctx: RequestContext): PaymentIntent {
    const intent = this.retrieve(id);
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
    this.events.emit("payment_intent.canceled", intent, ctx);
    return intent;
  }
}

/**
 * Since 2023-08-16 a PaymentIntent named with no payment_method_types takes
 * the payment methods of the Dashboard, redirects allowed; confirming one
 * then needs a return_url unless allow_redirects=never.
 */
function automaticPaymentMethods(params: Record<string, unknown>): PaymentIntent["automatic_payment_methods"] {
  const asked = params.automatic_payment_methods as { enabled?: string; allow_redirects?: string } | undefined;
  if (asked) return { enabled: asked.enabled === "true", ...(asked.enabled === "true" && { allow_redirects: asked.allow_redirects ?? "always" }) };
  return params.payment_method_types === undefined ? { enabled: true, allow_redirects: "always" } : null;
}

function returnUrlParam(params: Record<string, unknown>): string | null {
  if (params.return_url === undefined) return null;
  const url = String(params.return_url);
  if (!URL.canParse(url)) throw StripeError.invalid("Invalid URL: return_url must be an absolute URL.", "return_url", "url_invalid");
  return url;
}

const unexpectedState = (intent: PaymentIntent, verb: string) =>
  new StripeError(400, {
    type: "invalid_request_error",
    code: "payment_intent_unexpected_state",
    message: `This PaymentIntent could not be ${verb} because it has a status of ${intent.status}.`,
  });
