// Refunds of a succeeded charge, named by the charge or by its PaymentIntent
// (its latest charge): in part or in full, never beyond what is left of it.
import type { Charge, Charges } from "./charges.ts";
import { StripeError } from "./errors.ts";
import type { Events, RequestContext } from "./events.ts";
import { newId, now } from "./ids.ts";
import { createdFilter, paginate, type List } from "./lists.ts";
import { checkMetadata, checkPositiveAmount } from "./params.ts";
import type { PaymentIntents } from "./payment-intents.ts";
import { refundShape } from "./shapes.ts";

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

export class Refunds {
  readonly byId = new Map<string, Refund>();

  constructor(
    private readonly events: Events,
    private readonly charges: Charges,
    private readonly paymentIntents: PaymentIntents,
  ) {}

  create(params: Record<string, unknown>, ctx: RequestContext): Refund {
    let charge: Charge | undefined;
    if (params.charge) {
      charge = this.charges.byId.get(String(params.charge));
      if (!charge) throw StripeError.missingParam("charge", String(params.charge), "charge");
    } else if (params.payment_intent) {
      const intent = this.paymentIntents.byId.get(String(params.payment_intent));
      if (!intent) throw StripeError.missingParam("payment_intent", String(params.payment_intent), "payment_intent");
      charge = intent.latest_charge ? this.charges.byId.get(intent.latest_charge) : undefined;
    } else {
      throw StripeError.invalid("One of charge or payment_intent is required.", "charge");
    }
    if (!charge || charge.status !== "succeeded") {
      throw StripeError.invalid("This PaymentIntent does not have a successful charge to refund.", "payment_intent", "charge_not_refundable");
    }
    const left = charge.amount - charge.amount_refunded;
    const amount = params.amount === undefined ? left : checkPositiveAmount(params.amount, "amount");
    if (amount > left || left === 0) {
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
    this.byId.set(refund.id, refund);
    charge.amount_refunded += amount;
    charge.refunded = charge.amount_refunded === charge.amount;
    this.events.emit("refund.created", refund, ctx);
    this.events.emit("charge.refunded", charge, ctx);
    return refund;
  }

  retrieve(id: string): Refund {
    const refund = this.byId.get(id);
    if (!refund) throw StripeError.missing("refund", id, "id");
    return refund;
  }

  list(params: Record<string, unknown>): List<Refund> {
    const created = createdFilter(params.created);
    const data = [...this.byId.values()]
      .filter(
        (r) => (!params.charge || r.charge === params.charge) && (!params.payment_intent || r.payment_intent === params.payment_intent) && created(r.created),
      )
      .reverse();
    return paginate("/v1/refunds", "refund", data, params);
  }
}
