// Customers (POST /v1/customers, GET /v1/customers/{id}): the shop makes one
// per account e-mail and names it on its PaymentIntents.
import { randomBytes } from "node:crypto";
import { StripeError } from "./errors.ts";
import type { Events, RequestContext } from "./events.ts";
import { newId, now } from "./ids.ts";
import { checkMetadata } from "./params.ts";
import { customerShape } from "./shapes.ts";

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

export class Customers {
  readonly byId = new Map<string, Customer>();

  constructor(private readonly events: Events) {}

  create(params: Record<string, unknown>, ctx: RequestContext): Customer {
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
    this.byId.set(customer.id, customer);
    this.events.emit("customer.created", customer, ctx);
    return customer;
  }

  retrieve(id: string): Customer {
    const customer = this.byId.get(id);
    if (!customer) throw StripeError.missing("customer", id, "id");
    return customer;
  }

  /** A customer named in another object's parameters: it must exist. */
  param(id: string): string {
    if (!this.byId.has(id)) throw StripeError.missingParam("customer", id, "customer");
    return id;
  }
}
