// What every list endpoint (GET /v1/payment_intents, /v1/charges, …) takes
// and answers alike: a page of objects, newest first, and a `created` filter.
import { StripeError } from "./errors.ts";

export type List<T> = { object: "list"; url: string; has_more: boolean; data: T[] };

/** Where a cursor (`starting_after`, `ending_before`) is in `all`; an id that is not there is Stripe's 400. */
function cursor<T extends { id: string }>(all: T[], params: Record<string, unknown>, param: "starting_after" | "ending_before", kind: string) {
  const id = params[param];
  if (id === undefined) return undefined;
  const at = all.findIndex((o) => o.id === id);
  if (at < 0) throw StripeError.missingParam(kind, String(id), param);
  return at;
}

/**
 * Newest first, `limit` (1–100, default 10) at a time, after `starting_after`
 * or before `ending_before`; `kind` names the objects listed (payment_intent).
 */
export function paginate<T extends { id: string }>(url: string, kind: string, all: T[], params: Record<string, unknown>): List<T> {
  const limit = params.limit === undefined ? 10 : Number(params.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw StripeError.invalid("Invalid limit: must be between 1 and 100", "limit");
  const before = cursor(all, params, "ending_before", kind);
  if (before !== undefined) {
    const from = Math.max(0, before - limit);
    return { object: "list", url, has_more: from > 0, data: all.slice(from, before) };
  }
  const after = (cursor(all, params, "starting_after", kind) ?? -1) + 1;
  return { object: "list", url, has_more: after + limit < all.length, data: all.slice(after, after + limit) };
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
