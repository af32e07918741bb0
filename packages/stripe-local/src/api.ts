// The Stripe API itself (/v1/…): the routes this server serves, each checked
// against Stripe's description of its parameters (validate.ts), with the
// secret key as the account, Stripe's idempotency rules (idempotency.ts) and
// the faults switched on through the control API played on the way.
import type { IncomingMessage } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import qs from "qs";
import type { Account } from "./account.ts";
import { StripeError } from "./errors.ts";
import type { RequestContext } from "./events.ts";
import { KNOWN_API_VERSIONS } from "./api-version.ts";
import { checkExpand, expand } from "./expand.ts";
import { MAX_KEY_LENGTH, requestFingerprint } from "./idempotency.ts";
import { errorReply, internalError, type LogLine, type Reply } from "./reply.ts";
import type { ServerState } from "./state.ts";
import { validateRequest } from "./validate.ts";
import { withTraceParent } from "./trace-context.ts";

/** A request as the handlers take it; `origin`: where the client reached this server. */
export type Incoming = { req: IncomingMessage; url: URL; rawBody: string; log: LogLine; origin: string };

/** `endpoint` names the operation in Stripe's spec, whose parameters the request must fit. */
type Route = { endpoint: string; pattern: RegExp; handle(a: Account, params: Record<string, unknown>, m: string[], ctx: RequestContext): unknown };

const id = (m: string[]) => m[1] ?? "";
const routes: Route[] = [
  { endpoint: "POST /v1/payment_intents", pattern: /^\/v1\/payment_intents$/, handle: (a, p, _m, ctx) => a.paymentIntents.create(p, ctx) },
  { endpoint: "GET /v1/payment_intents", pattern: /^\/v1\/payment_intents$/, handle: (a, p) => a.paymentIntents.list(p) },
  { endpoint: "GET /v1/payment_intents/{intent}", pattern: /^\/v1\/payment_intents\/([^/]+)$/, handle: (a, _p, m) => a.paymentIntents.retrieve(id(m)) },
  {
    endpoint: "POST /v1/payment_intents/{intent}",
    pattern: /^\/v1\/payment_intents\/([^/]+)$/,
    handle: (a, p, m, ctx) => a.paymentIntents.update(id(m), p, ctx),
  },
  {
    endpoint: "POST /v1/payment_intents/{intent}/confirm",
    pattern: /^\/v1\/payment_intents\/([^/]+)\/confirm$/,
    handle: (a, p, m, ctx) => a.paymentIntents.confirm(id(m), p, ctx),
  },
  {
    endpoint: "POST /v1/payment_intents/{intent}/cancel",
    pattern: /^\/v1\/payment_intents\/([^/]+)\/cancel$/,
    handle: (a, p, m, ctx) => a.paymentIntents.cancel(id(m), p, ctx),
  },
  {
    endpoint: "POST /v1/payment_intents/{intent}/capture",
    pattern: /^\/v1\/payment_intents\/([^/]+)\/capture$/,
    handle: (a, p, m, ctx) => a.paymentIntents.capture(id(m), p, ctx),
  },
  { endpoint: "POST /v1/refunds", pattern: /^\/v1\/refunds$/, handle: (a, p, _m, ctx) => a.refunds.create(p, ctx) },
  { endpoint: "GET /v1/refunds", pattern: /^\/v1\/refunds$/, handle: (a, p) => a.refunds.list(p) },
  { endpoint: "GET /v1/refunds/{refund}", pattern: /^\/v1\/refunds\/([^/]+)$/, handle: (a, _p, m) => a.refunds.retrieve(id(m)) },
  { endpoint: "GET /v1/charges", pattern: /^\/v1\/charges$/, handle: (a, p) => a.charges.list(p) },
  { endpoint: "GET /v1/charges/{charge}", pattern: /^\/v1\/charges\/([^/]+)$/, handle: (a, _p, m) => a.charges.retrieve(id(m)) },
  { endpoint: "POST /v1/customers", pattern: /^\/v1\/customers$/, handle: (a, p, _m, ctx) => a.customers.create(p, ctx) },
  { endpoint: "GET /v1/customers/{customer}", pattern: /^\/v1\/customers\/([^/]+)$/, handle: (a, _p, m) => a.customers.retrieve(id(m)) },
  { endpoint: "GET /v1/payment_methods/{payment_method}", pattern: /^\/v1\/payment_methods\/([^/]+)$/, handle: (a, _p, m) => a.paymentMethods.retrieve(id(m)) },
  { endpoint: "GET /v1/events", pattern: /^\/v1\/events$/, handle: (a, p) => a.events.list(p) },
  { endpoint: "GET /v1/events/{id}", pattern: /^\/v1\/events\/([^/]+)$/, handle: (a, _p, m) => a.events.retrieve(id(m)) },
];

/** Bearer sk_test_…, or HTTP Basic with the key as the user (curl -u sk_test_…:). */
function secretKeyOf(req: IncomingMessage): string {
  const auth = req.headers.authorization ?? "";
  if (auth.startsWith("Bearer ")) return auth.slice(7);
  if (auth.startsWith("Basic ")) return Buffer.from(auth.slice(6), "base64").toString("utf8").split(":")[0] ?? "";
  return "";
}

/** A request to /v1/…: checked, run once per idempotency key (or replayed), and its faults played. */
export async function handleApi(server: ServerState, { req, url, rawBody, log, origin }: Incoming): Promise<Reply> {
  const path = url.pathname;
  const secretKey = secretKeyOf(req);
  if (!/^sk_test_\w+$/.test(secretKey)) {
    return errorReply(new StripeError(401, { type: "invalid_request_error", message: "Invalid API Key provided: use a sk_test_… key." }));
  }
  const state = server.accountFor(secretKey);
  server.bump(state, "requests");
  const method = req.method ?? "GET";
  const route = routes.find((r) => r.endpoint.startsWith(`${method} `) && r.pattern.test(path));
  if (!route) {
    return errorReply(
      new StripeError(404, {
        type: "invalid_request_error",
        message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
      }),
    );
  }
  const version = req.headers["stripe-version"];
  if (version !== undefined && !KNOWN_API_VERSIONS.has(String(version))) {
    return errorReply(StripeError.invalid(`Invalid Stripe API version: ${String(version)}`, undefined, "invalid_api_version"));
  }
  const params = method === "GET" ? qs.parse(url.search.slice(1)) : qs.parse(rawBody);
  const match = path.match(route.pattern) ?? [];
  const key = method === "POST" ? (req.headers["idempotency-key"] as string | undefined) : undefined;
  const ctx: RequestContext = { requestId: log.requestId, idempotencyKey: key ?? null, origin };
  log.key = key;

  const fault = server.faults.take(method, path);
  if (fault === "drop") return { status: 0, body: null, drop: true };
  if (fault === "500") return internalError(log);

  const execute = async (): Promise<Reply> => {
    if (server.faults.latencyMs > 0) await sleep(server.faults.latencyMs);
    if (fault === "500_stored") return internalError(log, { stored: true });
    let reply: Reply;
    try {
      validateRequest(route.endpoint, params);
      checkExpand(route.endpoint, params.expand);
      const body = withTraceParent(req.headers.traceparent, () => route.handle(state.account, params, match, ctx));
      reply = { status: 200, body: expand(state.account, body, params.expand) };
    } catch (error) {
      if (!(error instanceof StripeError)) console.error(error);
      reply = error instanceof StripeError ? errorReply(error) : internalError(log);
    }
    return fault === "500_stored_after_work" ? internalError(log, { stored: true }) : reply;
  };

  // Whatever the answer (new work, a replay, a conflict), it is lost on the way.
  const deliver = (reply: Reply): Reply => (fault === "commit_then_drop" ? { ...reply, drop: true } : reply);
  if (!key) return deliver(await execute());
  if (key.length > MAX_KEY_LENGTH) {
    return errorReply(StripeError.invalid(`Idempotency-Key must be at most ${MAX_KEY_LENGTH} characters.`));
  }
  const lookup = state.idempotency.lookup(key, requestFingerprint(method, path, params));
  switch (lookup.kind) {
    case "replay":
      server.bump(state, "replays");
      log.replayed = true;
      return deliver({ status: lookup.status, body: lookup.body, headers: { "Idempotent-Replayed": "true" } });
    case "in_use":
      server.bump(state, "conflicts");
      return deliver({
        ...errorReply(
          new StripeError(409, {
            type: "invalid_request_error",
            code: "idempotency_key_in_use",
            message:
              "There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): " +
              `${key}. Please try again later.`,
          }),
        ),
        headers: { "Stripe-Should-Retry": "true" },
      });
    case "mismatch":
      server.bump(state, "mismatches");
      return deliver({
        ...errorReply(
          new StripeError(400, {
            type: "idempotency_error",
            message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
          }),
        ),
        headers: { "Stripe-Should-Retry": "false" },
      });
    case "new": {
      const reply = await execute();
      // Validation failures (400, 404) never ran, so Stripe does not keep them.
      if (reply.status === 400 || reply.status === 404) lookup.forget();
      else lookup.complete(reply.status, reply.body);
      return deliver(reply);
    }
  }
}
