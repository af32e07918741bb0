// Charges: one per payment attempt with a card, made when a PaymentIntent is
// confirmed (or authenticated) and read back by the ledger and the shop
// (GET /v1/charges, /v1/charges/{id}). Captures and refunds change them.
import type { CardOutcome } from "./cards.ts";
import { StripeError } from "./errors.ts";
import { newId, now } from "./ids.ts";
import { createdFilter, paginate, type List } from "./lists.ts";
import type { PaymentMethod } from "./payment-methods.ts";
import { cardDetails, chargeShape } from "./shapes.ts";

export type Charge = {
  id: string;
  object: "charge";
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  balance_transaction: string | null;
  receipt_url: string | null;
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

/** What a charge takes from the PaymentIntent it is made for. */
type ChargedIntent = { id: string; amount: number; currency: string; customer: string | null; receipt_email: string | null; capture_method: string };

export class Charges {
  readonly byId = new Map<string, Charge>();

  /** The charge of one payment attempt with `method`, as its card's `outcome` has it; authorized only when the intent captures manually. */
  make(intent: ChargedIntent, method: PaymentMethod, outcome: CardOutcome, origin: string): Charge {
    const manual = intent.capture_method === "manual";
    const chargeId = newId("ch");
    const charge: Charge = {
      ...chargeShape,
      balance_transaction: outcome.ok ? newId("txn") : null,
      // Where Stripe would show the receipt; this server has no receipt page to serve there.
      receipt_url: outcome.ok ? `${origin}/receipts/payment/${chargeId}` : null,
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
      payment_method: method.id,
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
    this.byId.set(charge.id, charge);
    return charge;
  }

  list(params: Record<string, unknown>): List<Charge> {
    const pi = params.payment_intent ? String(params.payment_intent) : undefined;
    const created = createdFilter(params.created);
    const data = [...this.byId.values()].filter((c) => (!pi || c.payment_intent === pi) && created(c.created)).reverse();
    return paginate("/v1/charges", "charge", data, params);
  }

  retrieve(id: string): Charge {
    const charge = this.byId.get(id);
    if (!charge) throw StripeError.missing("charge", id, "id");
    return charge;
  }

  forIntent(paymentIntentId: string): Charge[] {
    return [...this.byId.values()].filter((c) => c.payment_intent === paymentIntentId);
  }
}
