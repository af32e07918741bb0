// HTTP edges of the JSON API: every route's error handling, the
// Idempotency-Key semantics for any POST route, reading a bounded JSON body,
// and turning a checkout result into the response an API client gets (a
// stored outcome renders the same way every time, so a replay is
// byte-for-byte the first).
import "server-only";
import type { z } from "zod";
import type { CheckoutOutcome } from "./checkout-outcome";
import type { CheckoutResult } from "./checkout.server";
import { parseIdempotencyKey } from "./api-schema";
import { apiSession } from "./api-session.server";
import { readBoundedBody } from "./bounded-body.server";
import { isDatabaseUnavailable } from "./db.server";
import { HoldLimitReached } from "./hold-limit.server";
import { SessionEndedError } from "./idempotency.server";
import { problem } from "./problem";
import { RefusedInput } from "./refused-input";
import { SessionLimitReached } from "./session.server";

/**
 * Wraps every API route handler: the database's own trouble becomes a 503
 * with Retry-After (retry the same request, with the same key), a browser
 * session its address may not begin now a 429, and anything unexpected a 500
 * problem that says nothing of our internals. Never an empty body.
 */
export function apiRoute<Args extends unknown[]>(handler: (request: Request, ...args: Args) => Promise<Response>) {
  return async (request: Request, ...args: Args): Promise<Response> => {
    try {
      return await handler(request, ...args);
    } catch (error) {
      if (error instanceof SessionLimitReached) {
        return problem(429, "too-many-requests", error.message, {}, { "Retry-After": String(error.retryAfterSeconds) });
      }
      if (isDatabaseUnavailable(error)) {
        return problem(
          503,
          "service-unavailable",
          "The database is busy or unreachable. Nothing is final: retry, with the same Idempotency-Key.",
          {},
          { "Retry-After": "1" },
        );
      }
      console.error(`${request.method} ${new URL(request.url).pathname} failed (${requestTags(request)}):`, error);
      return problem(500, "internal-error", "Something failed on our side; it has been logged.");
    }
  };
}

/**
 * What ties a request to its log line: the client's X-Request-Id and
 * Idempotency-Key, as sent if they are short visible ASCII (a header is not to
 * be trusted: nothing else reaches the log), "-" otherwise.
 */
function requestTags(request: Request): string {
  const tag = (name: string) => {
    const value = request.headers.get(name);
    return value && /^[\x21-\x7e]{1,200}$/.test(value) ? value : "-";
  };
  return `request ${tag("x-request-id")}, key ${tag("idempotency-key")}`;
}

const MAX_BODY_BYTES = 16 * 1024;

type Parsed<T> = { ok: true; data: T } | { ok: false; response: Response };

async function readJson<T>(request: Request, schema: z.ZodType<T>): Promise<Parsed<T>> {
  const bytes = await readBoundedBody(request, MAX_BODY_BYTES);
  if (!bytes) return { ok: false, response: tooLarge(MAX_BODY_BYTES) };
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return { ok: false, response: problem(400, "invalid-body", "The body must be JSON.") };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, data: parsed.data };
  const errors = parsed.error.issues.map((i) => ({ pointer: `/${i.path.join("/")}`, detail: i.message }));
  return { ok: false, response: problem(400, "invalid-body", "Some fields are invalid; nothing was stored.", { errors }) };
}

export type ApiCall<Body> = {
  request: Request;
  session: NonNullable<Awaited<ReturnType<typeof apiSession>>>;
  /** The Idempotency-Key: the same key always gets the first request's outcome. */
  key: string;
  body: Body;
};

/**
 * A POST route with our API's Idempotency-Key semantics, for any operation:
 * the caller's session (401 without), the key (400 if missing or malformed),
 * the JSON body checked by `schema` (400 with field errors, 413 if too
 * large); nothing is written before `handle` runs, and a RefusedInput it
 * throws is a 400 with its message (a HoldLimitReached a 429, and a
 * SessionEndedError the 401 of a session that is no more).
 */
export function idempotentPost<Body>(schema: z.ZodType<Body>, handle: (call: ApiCall<Body>) => Promise<Response>) {
  return apiRoute(async (request: Request) => {
    const session = await apiSession(request);
    if (!session) return unauthorized();
    const key = parseIdempotencyKey(request.headers.get("idempotency-key"));
    if (!key.ok) {
      return key.missing
        ? problem(400, "idempotency-key-missing", "Send an Idempotency-Key header, e.g. a UUID, and reuse it when you retry.")
        : problem(400, "idempotency-key-malformed", "The key must be 1 to 255 visible ASCII characters (or a quoted string of them).");
    }
    const body = await readJson(request, schema);
    if (!body.ok) return body.response;
    try {
      return await handle({ request, session, key: key.key, body: body.data });
    } catch (error) {
      // Deleted by the session reaper as this request ran: what the request would be told now.
      if (error instanceof SessionEndedError) return unauthorized();
      if (error instanceof HoldLimitReached) {
        return problem(429, "hold-limit", error.message, {}, { "Retry-After": String(error.retryAfterSeconds) });
      }
      if (error instanceof RefusedInput) {
        const errors = error.details.map((d) => ({ pointer: d.field, detail: d.message }));
        return problem(400, "invalid-body", error.message, errors.length > 0 ? { errors } : {});
      }
      throw error;
    }
  });
}

/** 401: no session (none sent, unknown, or past its lifetime); nothing was stored. */
export const unauthorized = () => problem(401, "unauthorized", "Send Authorization: Bearer <token> from POST /api/sessions.");

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

/** 413: the body passed `limit` bytes, and was not read any further. */
export const tooLarge = (limit: number) => problem(413, "body-too-large", `The body may be at most ${limit} bytes.`);

/** A checkout's result as the API answers it: the same outcome always makes the same response. */
export function checkoutResponse(result: CheckoutResult): Response {
  switch (result.kind) {
    case "completed":
      return outcomeResponse(result.outcome, result.replayed ? { "Idempotent-Replayed": "true" } : {});
    case "in_progress":
      return problem(
        409,
        "request-in-progress",
        "Retry after the time in Retry-After to get its result.",
        {},
        { "Retry-After": String(result.retryAfterSeconds) },
      );
    case "mismatch":
      return problem(422, "idempotency-key-reused", "Use a new Idempotency-Key for a different request. Nothing was stored.");
    case "unavailable":
      return problem(
        result.httpStatus,
        "payment-unavailable",
        "Nothing is final yet: retry with the same Idempotency-Key to resume.",
        {},
        { "Retry-After": "2" },
      );
  }
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
