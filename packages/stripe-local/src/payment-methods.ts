// PaymentMethods: a test card's id (pm_card_visa) names a new one, as in
// Stripe's test mode, and the test card behind each (cards.ts) decides what a
// payment with it does: succeed, decline, or ask for 3-D Secure first.
import { TEST_CARDS } from "./cards.ts";
import { StripeError } from "./errors.ts";
import type { Events } from "./events.ts";
import { newId, now } from "./ids.ts";
import { paymentMethodCardShape, paymentMethodShape } from "./shapes.ts";

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

export class PaymentMethods {
  readonly byId = new Map<string, PaymentMethod>();

  constructor(private readonly events: Events) {}

  /**
   * A PaymentMethod by id. A test card's id (pm_card_visa) makes a new
   * PaymentMethod object, as Stripe does; an unknown id is a resource_missing.
   */
  named(id: string, param: string): PaymentMethod {
    const existing = this.byId.get(id);
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
    this.byId.set(method.id, method);
    this.events.save(method);
    return method;
  }

  /** The test card behind a PaymentMethod (they differ by their last four digits). */
  card(paymentMethodId: string) {
    const method = this.byId.get(paymentMethodId)!;
    return Object.values(TEST_CARDS).find((c) => c.last4 === method.card.last4 && c.brand === method.card.brand)!;
  }

  /** A PaymentMethod by id; a test card's id (pm_card_visa) is one too, as in Stripe's test mode. */
  retrieve(id: string): PaymentMethod {
    const method = this.byId.get(id) ?? (TEST_CARDS[id] && this.named(id, "payment_method"));
    if (!method) throw StripeError.missing("PaymentMethod", id, "payment_method");
    return method;
  }
}
