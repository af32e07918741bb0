// What every list endpoint (GET /v1/payment_intents, /v1/charges, …) takes
// and answers alike: a page of objects, newest first, and a `created` filter.
import { StripeError } from "./errors.ts";

export type List<T> = { object: "list"; url: string; has_more: boolean; data: T[] };

/** Newest first, `limit` (1–100, default 10) at a time, after `starting_after`. */
export function paginate<T extends { id: string }>(url: string, all: T[], params: Record<string, unknown>): List<T> {
  const limit = params.limit === undefined ? 10 : Number(params.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw StripeError.invalid("Invalid limit: must be between 1 and 100", "limit");
  const after = params.starting_after ? all.findIndex((o) => o.id === params.starting_after) + 1 : 0;
  const data = all.slice(after, after + limit);
  return { object: "list", url, has_more: after + limit < all.length, data };
}

/** `created`: an exact time, or bounds (gt, gte, lt, lte), as Stripe's list endpoints take them. */
export function createdFilter(value: unknown): (created: number) => boolean {
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
