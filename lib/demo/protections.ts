// The four layers of protection (docs/DESIGN.md), plus the fulfillment job's and the webhooks' own,
// each of which the demo can switch off for one session so a person can watch
// the bug it prevents.
import { z } from "zod";

export const LAYERS = [
  { id: "uiGuard", label: "UI guard", detail: "Pay disables itself on the first click" },
  { id: "idempotencyKey", label: "Idempotency key", detail: "one record per (session, key); retries replay" },
  {
    id: "businessUniqueness",
    label: "Business uniqueness",
    detail: "one order per cart, one row per thing, stock and refunds within limits, an order paid once",
  },
  { id: "stripeKey", label: "Derived Stripe key", detail: "Stripe dedupes our own retries" },
  { id: "jobSteps", label: "Recorded, keyed job steps", detail: "a retried fulfillment job continues, never repeats" },
  { id: "webhookDedupe", label: "Webhook dedupe", detail: "each Stripe event applied once, however often it is delivered" },
] as const;

export type LayerId = (typeof LAYERS)[number]["id"];
export type Protections = Record<LayerId, boolean>;

export const ALL_ON: Protections = { uiGuard: true, idempotencyKey: true, businessUniqueness: true, stripeKey: true, jobSteps: true, webhookDedupe: true };
export const ALL_OFF: Protections = {
  uiGuard: false,
  idempotencyKey: false,
  businessUniqueness: false,
  stripeKey: false,
  jobSteps: false,
  webhookDedupe: false,
};

const stored = z.object({
  uiGuard: z.boolean(),
  idempotencyKey: z.boolean(),
  businessUniqueness: z.boolean(),
  stripeKey: z.boolean(),
  // Sessions saved before these layers existed have them on.
  jobSteps: z.boolean().default(true),
  webhookDedupe: z.boolean().default(true),
});

export function parseProtections(json: string | null | undefined): Protections {
  if (!json) return ALL_ON;
  try {
    return stored.parse(JSON.parse(json));
  } catch {
    return ALL_ON;
  }
}

export const isFullyProtected = (p: Protections) => LAYERS.every((l) => p[l.id]);
