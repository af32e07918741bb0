// The route-handler edge: POST routes with Idempotency-Key semantics (IETF
// draft-ietf-httpapi-idempotency-key-header), for any operation. Every answer
// the kit makes is problem+json: 401 without a scope, 400 for a missing or
// malformed key or an invalid body, 413 past the body's limit, 422 for a key
// reused with another request, 409 + Retry-After while the first is running,
// 503 + Retry-After for trouble that passes; a replay carries
// Idempotent-Replayed: true, so a stored outcome renders the same every time.
import type { z } from "zod";
import { RefusedInput } from "../refused-input.ts";
import type { IdempotentResult } from "../run.ts";
import { readBoundedBody } from "./bounded-body.ts";
import { parseIdempotencyKey } from "./idempotency-key.ts";
import { kitProblem } from "./problem.ts";

export type RouteOptions<Scope> = {
  /** Who is calling (their keys' scope), from the request; null: 401. */
  authenticate: (request: Request) => Promise<Scope | null>;
  /** Trouble that passes (the database busy): 503 with Retry-After, retry with the same key. */
  isUnavailable?: (error: unknown) => boolean;
  /** An app's own refusal, thrown anywhere in a route, turned into its response (a rate limit's 429), or undefined for the kit's handling. */
  refusal?: (error: unknown) => Response | undefined;
  /** What a 401 tells the caller to send. */
  unauthorizedDetail?: string;
  /** The largest body read (default 16 KiB): 413 past it. */
  maxBodyBytes?: number;
  /** Where an unexpected failure is told (default console.error); the client gets a 500 that says nothing of it. */
  log?: (message: string, error: unknown) => void;
};

export type IdempotentCall<Scope, Body> = {
  request: Request;
  scope: Scope;
  /** The Idempotency-Key: the same key always gets the first request's outcome. */
  key: string;
  body: Body;
};

/** 413: the body passed `limit` bytes, and was not read any further. */
export const tooLarge = (limit: number) => kitProblem(413, "body-too-large", `The body may be at most ${limit} bytes.`);

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

/** A refused field as a JSON Pointer (RFC 6901), as zod's failures are given: `amountCents` is `/amountCents`. */
const jsonPointer = (field: string) => (field.startsWith("/") ? field : `/${field}`);

type Parsed<T> = { ok: true; data: T } | { ok: false; response: Response };

async function readJson<T>(request: Request, schema: z.ZodType<T>, limit: number): Promise<Parsed<T>> {
  const bytes = await readBoundedBody(request, limit);
  if (!bytes) return { ok: false, response: tooLarge(limit) };
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return { ok: false, response: kitProblem(400, "invalid-body", "The body must be JSON.") };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, data: parsed.data };
  const errors = parsed.error.issues.map((i) => ({ pointer: `/${i.path.join("/")}`, detail: i.message }));
  return { ok: false, response: kitProblem(400, "invalid-body", "Some fields are invalid; nothing was stored.", { errors }) };
}

/** The route wrappers, bound to how the app authenticates and what trouble passes. */
export function idempotentRoutes<Scope>({
  authenticate,
  isUnavailable = () => false,
  refusal = () => undefined,
  unauthorizedDetail = "Send the credentials this API asks for.",
  maxBodyBytes = 16 * 1024,
  // Looked up when it logs: console.error as it is then (a test's mock, a logger patched in later).
  log = (message, error) => console.error(message, error),
}: RouteOptions<Scope>) {
  /**
   * Wraps any route handler: the app's own refusals become their answers,
   * trouble that passes a 503 with Retry-After (retry the same request, with
   * the same key), and anything unexpected a 500 problem that says nothing of
   * the app's internals.
   */
  function apiRoute<Args extends unknown[]>(handler: (request: Request, ...args: Args) => Promise<Response>) {
    return async (request: Request, ...args: Args): Promise<Response> => {
      try {
        return await handler(request, ...args);
      } catch (error) {
        const own = refusal(error);
        if (own) return own;
        if (isUnavailable(error)) {
          const detail = "The database is busy or unreachable. Nothing is final: retry, with the same Idempotency-Key.";
          return kitProblem(503, "service-unavailable", detail, {}, { "Retry-After": "1" });
        }
        log(`${request.method} ${new URL(request.url).pathname} failed (${requestTags(request)}):`, error);
        return kitProblem(500, "internal-error", "Something failed on our side; it has been logged.");
      }
    };
  }

  /**
   * A POST route with Idempotency-Key semantics: the caller's scope (401
   * without), the key (400 if missing or malformed), the JSON body checked by
   * `schema` (400 with field errors, 413 if too large); nothing is written
   * before `handle` runs, and a RefusedInput it throws is a 400 with its message.
   */
  function idempotentPost<Body>(schema: z.ZodType<Body>, handle: (call: IdempotentCall<Scope, Body>) => Promise<Response>) {
    return apiRoute(async (request: Request) => {
      const scope = await authenticate(request);
      if (scope === null) return kitProblem(401, "unauthorized", unauthorizedDetail);
      const key = parseIdempotencyKey(request.headers.get("idempotency-key"));
      if (!key.ok) {
        return key.missing
          ? kitProblem(400, "idempotency-key-missing", "Send an Idempotency-Key header, e.g. a UUID, and reuse it when you retry.")
          : kitProblem(400, "idempotency-key-malformed", "The key must be 1 to 255 visible ASCII characters (or a quoted string of them).");
      }
      const body = await readJson(request, schema, maxBodyBytes);
      if (!body.ok) return body.response;
      try {
        return await handle({ request, scope, key: key.key, body: body.data });
      } catch (error) {
        const own = refusal(error);
        if (own) return own;
        if (error instanceof RefusedInput) {
          const errors = error.details.map((d) => ({ pointer: jsonPointer(d.field), detail: d.message }));
          return kitProblem(400, "invalid-body", error.message, errors.length > 0 ? { errors } : {});
        }
        throw error;
      }
    });
  }

  return { apiRoute, idempotentPost };
}

/** 409: the first request with this key is still running; retry after `retryAfterSeconds`. */
export const inProgressResponse = (retryAfterSeconds: number) =>
  kitProblem(409, "request-in-progress", "Retry after the time in Retry-After to get its result.", {}, { "Retry-After": String(retryAfterSeconds) });

/** 422: the key was first used with another request. */
export const keyReusedResponse = () => kitProblem(422, "idempotency-key-reused", "Use a new Idempotency-Key for a different request. Nothing was stored.");

/** The headers of an outcome's response: a replay says so. */
export const replayHeaders = (replayed: boolean): Record<string, string> => (replayed ? { "Idempotent-Replayed": "true" } : {});

/**
 * An idempotent operation's result as a response: `render` makes the
 * outcome's (the same outcome always the same response); a retryable failure
 * is a 503 with Retry-After (retry with the same key to resume).
 */
export function idempotentResponse<Outcome>(
  result: IdempotentResult<Outcome>,
  render: (outcome: Outcome, headers: Record<string, string>) => Response,
): Response {
  switch (result.kind) {
    case "completed":
      return render(result.outcome, replayHeaders(result.replayed));
    case "in_progress":
      return inProgressResponse(result.retryAfterSeconds);
    case "mismatch":
      return keyReusedResponse();
    case "retryable":
      return kitProblem(503, "service-unavailable", "Nothing is final yet: retry with the same Idempotency-Key to resume.", {}, { "Retry-After": "2" });
  }
}
