// A Stripe-compatible server for local development and tests: the real `stripe`
// SDK talks to it through its host/port/protocol options. See README "Local Stripe".
//
//   LOCAL_STRIPE_PORT=12111 tsx local-stripe/server.ts
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import qs from "qs";
import { Account } from "./account";
import { StripeError } from "./errors";
import type { RequestContext } from "./events";
import { newId } from "./ids";
import { AUTHENTICATION_PATH, authenticationPage } from "./authentication-page";
import { z } from "zod";
import { FAILURE_MODES, Faults } from "./faults";
import { IdempotencyStore, MAX_KEY_LENGTH, requestFingerprint } from "./idempotency";
import { expand } from "./expand";
import { Store, type StoredObject } from "./store";
import { validateRequest } from "./validate";
import { WebhookSender, type Delivery } from "./webhooks";
import { setTimeout as sleep } from "node:timers/promises";
import { STRIPE_API_VERSION as API_VERSION } from "../lib/payments/stripe-api-version";
import { LOCAL_WEBHOOK_SECRET } from "../lib/payments/local-webhook-secret";

// This server signs its events with a secret everyone knows (lib/payments/local-webhook-secret.ts).
// Given another, it would sign with it, and anyone who can reach it could make
// events the app takes for real Stripe's: so it will not start with one, and
// its control API takes none (but a test's, below).
if (process.env.STRIPE_WEBHOOK_SECRET && process.env.STRIPE_WEBHOOK_SECRET !== LOCAL_WEBHOOK_SECRET) {
  console.error(
    `local Stripe: not started. STRIPE_WEBHOOK_SECRET is set to a secret of your own, and this server signs its events with whatever it is given, for anyone who can reach it. It signs with its public ${LOCAL_WEBHOOK_SECRET} only (or a secret named as a test's, whsec_payonce_test_…): unset STRIPE_WEBHOOK_SECRET (or set it to that) to run it. With a STRIPE_SECRET_KEY, \`npm run dev\` and \`npm start\` do not start it at all.`,
  );
  process.exit(1);
}
const WEBHOOK_SECRET = LOCAL_WEBHOOK_SECRET;

const PORT = Number(process.env.LOCAL_STRIPE_PORT ?? 12111);
// Loopback unless told otherwise: its control API (/_control) rewrites faults and webhooks for anyone who reaches it.
const HOST = process.env.LOCAL_STRIPE_HOST ?? "127.0.0.1";

const COUNTERS = ["requests", "replays", "conflicts", "mismatches"] as const;
type Counters = Record<(typeof COUNTERS)[number], number>;
type AccountState = { account: Account; idempotency: IdempotencyStore; counters: Counters };
/** `drop`: close the connection instead of answering. */
type Reply = { status: number; body: unknown; headers?: Record<string, string>; drop?: boolean };

const accounts = new Map<string, AccountState>();
const faults = new Faults();
const webhooks = new WebhookSender(faults);
const store = new Store(process.env.LOCAL_STRIPE_DB ?? "data/local-stripe.db");
webhooks.onChange = (index, delivery) => store.saveDelivery(index, delivery);

function defaults() {
  faults.reset();
  faults.latencyMs = Number(process.env.LOCAL_STRIPE_LATENCY_MS ?? 0);
  webhooks.reset();
  // The app's endpoint in `npm run dev` (on PORT, as the app); an empty LOCAL_STRIPE_WEBHOOK_URL means none.
  const url = process.env.LOCAL_STRIPE_WEBHOOK_URL ?? `http://127.0.0.1:${process.env.PORT || 3000}/api/webhooks/stripe`;
  webhooks.endpoints = url ? [{ url, secret: WEBHOOK_SECRET }] : [];
}
defaults();

function accountFor(key: string): AccountState {
  let state = accounts.get(key);
  if (!state) {
    const account = new Account(key, API_VERSION, {
      onEvent: (event) => webhooks.send(event),
      onSave: (object) => store.saveObject(key, object),
    });
    state = {
      account,
      idempotency: new IdempotencyStore({ save: (entry) => store.saveKey(key, entry) }),
      counters: { requests: 0, replays: 0, conflicts: 0, mismatches: 0 },
    };
    accounts.set(key, state);
  }
  return state;
}

/** Everything the store kept, back in memory (at start). */
function restore() {
  const saved = store.load();
  for (const { account, object } of saved.objects) {
    if (object.object !== "counters") accountFor(account).account.restore(object);
    else for (const name of COUNTERS) accountFor(account).counters[name] = Number((object as unknown as Counters)[name] ?? 0);
  }
  for (const { account, entry } of saved.keys) accountFor(account).idempotency.restore(entry);
  webhooks.restore(saved.deliveries as Delivery[]);
}
restore();

/** Counts a request for the ledger, and keeps the count. */
function bump(state: AccountState, counter: keyof Counters) {
  state.counters[counter]++;
  store.saveObject(state.account.key, { object: "counters", id: "counters", ...state.counters } as StoredObject);
}

const errorReply = (e: StripeError): Reply => ({ status: e.status, body: { error: e.body } });
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

async function handleApi(req: IncomingMessage, url: URL, rawBody: string, log: LogLine): Promise<Reply> {
  const path = url.pathname;
  const secretKey = secretKeyOf(req);
  if (!/^sk_test_\w+$/.test(secretKey)) {
    return {
      status: 401,
      body: { error: { type: "invalid_request_error", message: "Invalid API Key provided: use a sk_test_… key." } },
    };
  }
  const state = accountFor(secretKey);
  bump(state, "requests");
  const method = req.method ?? "GET";
  const route = routes.find((r) => r.endpoint.startsWith(`${method} `) && r.pattern.test(path));
  if (!route) {
    return {
      status: 404,
      body: {
        error: {
          type: "invalid_request_error",
          message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
        },
      },
    };
  }
  const version = req.headers["stripe-version"];
  if (version !== undefined && !/^\d{4}-\d{2}-\d{2}(\.\w+)?$/.test(String(version))) {
    return errorReply(StripeError.invalid(`Invalid Stripe API version: ${String(version)}`, undefined, "invalid_api_version"));
  }
  const params = method === "GET" ? qs.parse(url.search.slice(1)) : qs.parse(rawBody);
  const match = path.match(route.pattern) ?? [];
  const key = method === "POST" ? (req.headers["idempotency-key"] as string | undefined) : undefined;
  const ctx: RequestContext = { requestId: log.requestId, idempotencyKey: key ?? null, origin: originOf(req) };
  log.key = key;

  const fault = faults.take(method, path);
  if (fault === "drop") return { status: 0, body: null, drop: true };
  if (fault === "500") return internalError(log);

  const execute = async (): Promise<Reply> => {
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    if (fault === "500_stored") return internalError(log, { stored: true });
    let reply: Reply;
    try {
      validateRequest(route.endpoint, params);
      reply = { status: 200, body: expand(state.account, route.handle(state.account, params, match, ctx), params.expand) };
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
      bump(state, "replays");
      log.replayed = true;
      return deliver({ status: lookup.status, body: lookup.body, headers: { "Idempotent-Replayed": "true" } });
    case "in_use":
      bump(state, "conflicts");
      return deliver({
        status: 409,
        headers: { "Stripe-Should-Retry": "true" },
        body: {
          error: {
            type: "invalid_request_error",
            code: "idempotency_key_in_use",
            message:
              "There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): " +
              `${key}. Please try again later.`,
          },
        },
      });
    case "mismatch":
      bump(state, "mismatches");
      return deliver({
        status: 400,
        headers: { "Stripe-Should-Retry": "false" },
        body: {
          error: {
            type: "idempotency_error",
            message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
          },
        },
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

/** A 500; one that is stored will be replayed under its key, so a retry with that key cannot help. */
function internalError(log: LogLine, { stored = false } = {}): Reply {
  return {
    status: 500,
    headers: { "Stripe-Should-Retry": stored ? "false" : "true" },
    body: { error: { type: "api_error", message: `An unknown error occurred (request ${log.requestId}).` } },
  };
}

function ledger(key: string) {
  const state = accounts.get(key);
  if (!state) return { account: key, counters: null, paymentIntents: [] };
  const { account, counters } = state;
  // One pass, not one per event: a long chaos campaign's ledger has tens of thousands of each.
  const deliveriesOf = new Map<string, Delivery[]>();
  for (const d of webhooks.deliveries) deliveriesOf.set(d.eventId, [...(deliveriesOf.get(d.eventId) ?? []), d]);
  return {
    account: key,
    counters: {
      ...counters,
      paymentIntents: account.paymentIntents.byId.size,
      charges: [...account.charges.byId.values()].filter((c) => c.status === "succeeded").length,
      failedCharges: [...account.charges.byId.values()].filter((c) => c.status === "failed").length,
    },
    paymentIntents: [...account.paymentIntents.byId.values()]
      .map((pi) => ({ ...pi, charges: account.charges.forIntent(pi.id) }))
      .sort((a, b) => b.created - a.created),
    events: account.events.all.map((e) => ({
      id: e.id,
      type: e.type,
      created: e.created,
      objectId: (e.data.object as { id?: string }).id ?? null,
      deliveries: deliveriesOf.get(e.id) ?? [],
    })),
  };
}

const faultsInput = z.strictObject({
  clearFailures: z.boolean().optional(),
  latencyMs: z.number().int().min(0).max(60_000).optional(),
  fail: z
    .strictObject({
      method: z.enum(["GET", "POST"]).optional(),
      path: z.string().startsWith("/v1/"),
      mode: z.enum(FAILURE_MODES),
      count: z.number().int().min(1).max(1000).default(1),
    })
    .optional(),
  webhooks: z
    .strictObject({
      duplicates: z.number().int().min(0).max(10).default(0),
      delayMs: z.number().int().min(0).max(60_000).default(0),
      shuffle: z.boolean().default(false),
    })
    .optional(),
});

const ageInput = z.strictObject({ account: z.string(), key: z.string(), hours: z.number().positive().max(1000) });

/**
 * Secrets /_control/webhooks signs with: the public local one, or one named
 * as a test's (whsec_payonce_test_…: the conformance tests prove events are
 * signed with the endpoint's own secret). A real endpoint's secret is
 * `whsec_` and letters and digits, never this prefix.
 */
const TEST_SECRET_PREFIX = "whsec_payonce_test_";
const signingSecret = z
  .string()
  .refine((s) => s === WEBHOOK_SECRET || s.startsWith(TEST_SECRET_PREFIX), {
    message: `this server signs with its public ${WEBHOOK_SECRET} (or a test's ${TEST_SECRET_PREFIX}…) only, never a real endpoint's secret`,
  })
  .default(WEBHOOK_SECRET);
const webhooksInput = z.strictObject({
  endpoints: z.array(z.strictObject({ url: z.url(), secret: signingSecret })).max(10),
});

function parseJson<T>(schema: z.ZodType<T>, raw: string): { ok: true; data: T } | { ok: false; reply: Reply } {
  let json: unknown;
  try {
    json = raw ? JSON.parse(raw) : {};
  } catch {
    return { ok: false, reply: { status: 400, body: { error: "body must be JSON" } } };
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, reply: { status: 400, body: { error: z.prettifyError(parsed.error) } } };
}

// With the app's demo tools off, nobody may switch faults, endpoints or state.
const CONTROL_WRITES = !z
  .stringbool()
  .catch(false)
  .parse(process.env.DISABLE_DEMO_TOOLS ?? "false");

async function handleControl(req: IncomingMessage, url: URL, rawBody: string): Promise<Reply> {
  const route = `${req.method} ${url.pathname}`;
  if (req.method !== "GET" && !CONTROL_WRITES) {
    return { status: 403, body: { error: "the control API is read-only while DISABLE_DEMO_TOOLS=true" } };
  }
  if (route === "GET /_control/health") return { status: 200, body: { ok: true } };
  if (route === "GET /_control/ledger") {
    const key = url.searchParams.get("account");
    return { status: 200, body: key ? ledger(key) : { accounts: [...accounts.keys()].map(ledger) } };
  }
  if (route === "GET /_control/faults") return { status: 200, body: faults.snapshot() };
  if (route === "POST /_control/faults") {
    const input = parseJson(faultsInput, rawBody);
    if (!input.ok) return input.reply;
    if (input.data.clearFailures) faults.clearFailures();
    if (input.data.latencyMs !== undefined) faults.latencyMs = input.data.latencyMs;
    if (input.data.fail) faults.fail(input.data.fail);
    if (input.data.webhooks) faults.webhooks = input.data.webhooks;
    return { status: 200, body: faults.snapshot() };
  }
  if (route === "POST /_control/idempotency/age") {
    // Time travel for tests: make a key as old as if it had been used `hours` ago.
    const input = parseJson(ageInput, rawBody);
    if (!input.ok) return input.reply;
    const aged = accounts.get(input.data.account)?.idempotency.age(input.data.key, input.data.hours * 3600_000) ?? false;
    return aged ? { status: 200, body: { aged: true } } : { status: 404, body: { error: "no such account or key" } };
  }
  if (route === "GET /_control/webhooks") return { status: 200, body: { endpoints: webhooks.endpoints.map((e) => ({ url: e.url })) } };
  if (route === "POST /_control/webhooks") {
    const input = parseJson(webhooksInput, rawBody);
    if (!input.ok) return input.reply;
    webhooks.endpoints = input.data.endpoints;
    return { status: 200, body: { endpoints: webhooks.endpoints.map((e) => ({ url: e.url })) } };
  }
  if (route === "GET /_control/state") return { status: 200, body: store.stats() };
  if (route === "POST /_control/reset") {
    accounts.clear();
    store.clear();
    defaults();
    return { status: 200, body: { ok: true } };
  }
  return { status: 404, body: { error: `no control route ${route}` } };
}

/** Where the client reached this server (the authentication page is linked from here). */
function originOf(req: IncomingMessage): string {
  const host = req.headers.host ?? "";
  return /^[\w.-]+(:\d+)?$/.test(host) ? `http://${host}` : `http://${HOST}:${PORT}`;
}

function accountOfPaymentIntent(id: string): Account | undefined {
  for (const { account } of accounts.values()) if (account.paymentIntents.byId.has(id)) return account;
  return undefined;
}

type LogLine = { requestId: string; key?: string; replayed?: boolean };

// Nothing a client sends may stop the server: bodies are bounded in size and
// time, a client that hangs up is forgotten, a malformed request is a 400.
const MAX_BODY_BYTES = 1024 * 1024;
const REQUEST_TIMEOUT_MS = Number(process.env.LOCAL_STRIPE_REQUEST_TIMEOUT_MS ?? 30_000);

class BodyTooLarge extends Error {}
/** How much of an oversized body is read and thrown away so the 413 reaches the client (lingering close). */
const MAX_DISCARDED_BYTES = 64 * MAX_BODY_BYTES;

/**
 * The body, or BodyTooLarge once it is all in: what is over the limit is read
 * and dropped rather than left unread, since closing a socket with bytes
 * still arriving resets it and the client never sees the 413.
 */
async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_DISCARDED_BYTES) break;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
  return Buffer.concat(chunks).toString("utf8");
}

async function handle(req: IncomingMessage, res: ServerResponse) {
  const started = Date.now();
  const log: LogLine = { requestId: newId("req") };
  if (!URL.canParse(req.url ?? "/", "http://localhost")) {
    res
      .writeHead(400, { "Content-Type": "application/json", Connection: "close" })
      .end(JSON.stringify({ error: { type: "invalid_request_error", message: "Malformed request URL." } }));
    return;
  }
  const url = new URL(req.url ?? "/", "http://localhost");
  let rawBody: string;
  try {
    rawBody = await readBody(req);
  } catch (error) {
    if (!(error instanceof BodyTooLarge)) return; // the client hung up: nobody to answer
    res
      .writeHead(413, { "Content-Type": "application/json", Connection: "close" })
      .end(JSON.stringify({ error: { type: "invalid_request_error", message: `Request bodies may be at most ${MAX_BODY_BYTES} bytes.` } }));
    req.socket.destroySoon();
    return;
  }

  if (url.pathname === AUTHENTICATION_PATH) {
    const ctx = { requestId: log.requestId, idempotencyKey: null, origin: originOf(req) };
    const page = authenticationPage(req.method ?? "GET", url, rawBody, accountOfPaymentIntent, ctx);
    res.writeHead(page.status, { "Content-Type": "text/html; charset=utf-8", ...page.headers }).end(page.html);
    console.log(`${req.method} ${url.pathname} → ${page.status} (${Date.now() - started} ms)`);
    return;
  }
  let reply: Reply;
  try {
    reply = url.pathname.startsWith("/_control/") ? await handleControl(req, url, rawBody) : await handleApi(req, url, rawBody, log);
  } catch (error) {
    console.error(error);
    reply = internalError(log);
  }
  if (reply.drop) {
    console.log(`${req.method} ${url.pathname}${log.key ? ` key=${log.key}` : ""} → connection dropped (fault)`);
    req.socket.destroy();
    return;
  }
  res.writeHead(reply.status, {
    "Content-Type": "application/json",
    "Request-Id": log.requestId,
    "Stripe-Version": typeof req.headers["stripe-version"] === "string" ? req.headers["stripe-version"] : API_VERSION,
    ...(log.key && { "Idempotency-Key": log.key }),
    ...reply.headers,
  });
  res.end(JSON.stringify(reply.body));
  if (!url.pathname.startsWith("/_control/") || process.env.LOCAL_STRIPE_LOG_CONTROL) {
    const key = log.key ? ` key=${log.key}` : "";
    const replayed = log.replayed ? " replayed" : "";
    console.log(`${req.method} ${url.pathname}${key}${replayed} → ${reply.status} (${Date.now() - started} ms)`);
  }
}

// Timeouts are checked every second (Node's default is every 30 s).
const server = createServer({ connectionsCheckingInterval: 1000 }, (req, res) => {
  handle(req, res).catch((error: unknown) => {
    console.error(error);
    if (!res.headersSent && !res.destroyed) res.writeHead(500, { "Content-Type": "application/json" }).end('{"error":{"type":"api_error"}}');
  });
});
server.requestTimeout = REQUEST_TIMEOUT_MS;
server.headersTimeout = Math.min(REQUEST_TIMEOUT_MS, 60_000);
// A request not all in within the timeout is a 408, bytes that are no HTTP at
// all a 400, each with a Stripe-shaped error body (a bodiless answer reaches
// an SDK user as "Invalid JSON received from the Stripe API"), then the
// connection is closed.
server.on("clientError", (error: NodeJS.ErrnoException, socket) => {
  if (!socket.writable) return socket.destroy();
  const [status, message] =
    error.code === "ERR_HTTP_REQUEST_TIMEOUT"
      ? ["408 Request Timeout", `The request was not received within ${REQUEST_TIMEOUT_MS} ms.`]
      : ["400 Bad Request", "The request could not be read as HTTP."];
  const body = JSON.stringify({ error: { type: "invalid_request_error", message } });
  socket.end(`HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
});

server.listen(PORT, HOST, () => console.log(`local Stripe listening on http://${HOST}:${PORT}`));
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.close(() => process.exit(0)));
