// One secret key's account: its objects, one module per kind of Stripe object,
// each given the others it reads. Each secret key is its own account, and
// whatever changes in one goes to `listeners` (the store, the webhook sender).
import { type Charge, Charges } from "./charges.ts";
import { type Customer, Customers } from "./customers.ts";
import { type Event, Events, type Listeners } from "./events.ts";
import { type PaymentIntent, PaymentIntents } from "./payment-intents.ts";
import { type PaymentMethod, PaymentMethods } from "./payment-methods.ts";
import { type Refund, Refunds } from "./refunds.ts";
import type { StoredObject } from "./store.ts";

export class Account {
  readonly events: Events;
  readonly customers: Customers;
  readonly paymentMethods: PaymentMethods;
  readonly charges = new Charges();
  readonly paymentIntents: PaymentIntents;
  readonly refunds: Refunds;

  constructor(
    readonly key: string,
    apiVersion: string,
    listeners: Listeners,
  ) {
    this.events = new Events(apiVersion, listeners);
    this.customers = new Customers(this.events);
    this.paymentMethods = new PaymentMethods(this.events);
    this.paymentIntents = new PaymentIntents(this.events, this.paymentMethods, this.customers, this.charges);
    this.refunds = new Refunds(this.events, this.charges, this.paymentIntents);
  }

  /** Puts back an object read from the store: no event, no webhook. */
  restore(object: StoredObject) {
    if (object.object === "payment_intent") this.paymentIntents.byId.set(object.id, object as PaymentIntent);
    else if (object.object === "charge") this.charges.byId.set(object.id, object as Charge);
    else if (object.object === "refund") this.refunds.byId.set(object.id, object as Refund);
    else if (object.object === "customer") this.customers.byId.set(object.id, object as Customer);
    else if (object.object === "payment_method") this.paymentMethods.byId.set(object.id, object as PaymentMethod);
    else if (object.object === "event") this.events.all.push(object as Event);
  }
}
