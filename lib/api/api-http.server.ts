// HTTP edges of the JSON API: the kit's route wrappers (@payonce/kit/next:
// error handling, Idempotency-Key semantics, a bounded JSON body) bound to
// the shop's API session and its refusals, and a checkout result turned into
// the response an API client gets (a stored outcome renders the same way
// every time, so a replay is byte-for-byte the first).
import "server-only";
import { idempotentResponse, idempotentRoutes } from "@payonce/kit/next";
import type { CheckoutOutcome } from "../orders/checkout-outcome";
import type { CheckoutResult } from "../orders/checkout.server";
import { apiSession } from "./api-session.server";
import { isDatabaseUnavailable } from "../db/db.server";
import { HoldLimitReached } from "../orders/hold-limit.server";
import { SessionEndedError } from "../db/attempts.server";
import { problem } from "./problem";
import { SessionLimitReached } from "../sessions/session.server";

export { tooLarge } from "@payonce/kit/next";

const UNAUTHORIZED_DETAIL = "Send Authorization: Bearer <token> from POST /api/sessions.";

/** 401: no session (none sent, unknown, or past its lifetime); nothing was stored. */
export const unauthorized = () => problem(401, "unauthorized", UNAUTHORIZED_DETAIL);

/** The shop's own refusals as their answers: the kit handles everything else. */
function refusal(error: unknown): Response | undefined {
  // A browser session its address may not begin now.
  if (error instanceof SessionLimitReached) {
    return problem(429, "too-many-requests", error.message, {}, { "Retry-After": String(error.retryAfterSeconds) });
  }
  // Deleted by the session reaper as this request ran: what the request would be told now.
  if (error instanceof SessionEndedError) return unauthorized();
  if (error instanceof HoldLimitReached) {
    return problem(429, "hold-limit", error.message, {}, { "Retry-After": String(error.retryAfterSeconds) });
  }
  return undefined;
}

/**
 * apiRoute: every API route's handler; the database's own trouble is a 503
 * with Retry-After, anything unexpected a 500 that says nothing of our internals.
 * idempotentPost: a POST route for any operation, with the caller's API
 * session as its keys' scope; the shop's refusals answered as above.
 */
export const { apiRoute, idempotentPost } = idempotentRoutes({
  authenticate: apiSession,
  isUnavailable: isDatabaseUnavailable,
  unauthorizedDetail: UNAUTHORIZED_DETAIL,
  refusal,
});

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/**
 * Handlers for the methods a route does not serve: 405 problem+json with
 * Allow. Usage: `export const { GET, PUT, PATCH, DELETE } = otherMethods(["POST"]);`
 */
export function otherMethods(allowed: (typeof METHODS)[number][]) {
  const allow = allowed.join(", ");
  const handler = async () => problem(405, "method-not-allowed", `This resource answers ${allow} only.`, {}, { Allow: allow });
  return Object.fromEntries(METHODS.map((m) => [m, handler])) as Record<(typeof METHODS)[number], typeof handler>;
}

/** A checkout's result as the API answers it: the same outcome always makes the same response. */
export function checkoutResponse(result: CheckoutResult): Response {
  if (result.kind !== "unavailable") return idempotentResponse(result, outcomeResponse);
  return problem(result.httpStatus, "payment-unavailable", "Nothing is final yet: retry with the same Idempotency-Key to resume.", {}, { "Retry-After": "2" });
}

function outcomeResponse(outcome: CheckoutOutcome, headers: Record<string, string>): Response {
  switch (outcome.kind) {
    case "paid":
      return Response.json({ order: outcome.order }, { status: 201, headers });
    case "awaiting_payment":
      return Response.json({ order: outcome.order, ...(outcome.nextAction && { nextAction: outcome.nextAction }) }, { status: 202, headers });
    case "declined":
      return problem(402, "card-declined", outcome.message, { code: outcome.code, order: outcome.order }, headers);
    case "out_of_stock":
      return problem(409, "out-of-stock", outcome.message, {}, headers);
  }
}
