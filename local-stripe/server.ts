// A Stripe-compatible server for local development and tests: the real `stripe`
// SDK talks to it through its host/port/protocol options. See README "Local Stripe".
//
//   LOCAL_STRIPE_PORT=12111 tsx local-stripe/server.ts
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import qs from "qs";
import { Account, newId, StripeError, type RequestContext } from "./objects";
import { IdempotencyStore, MAX_KEY_LENGTH, requestFingerprint } from "./idempotency";

const API_VERSION = "2026-10-28.endive";

type Counters = { requests: number; replays: number; conflicts: number; mismatches: number };
type AccountState = { account: Account; idempotency: IdempotencyStore; counters: Counters };
type Reply = { status: number; body: unknown; headers?: Record<string, string> };

const accounts = new Map<string, AccountState>();
const settings = { latencyMs: Number(process.env.LOCAL_STRIPE_LATENCY_MS ?? 0) };

function accountFor(key: string): AccountState {
  let state = accounts.get(key);
  if (!state) {
    state = {
      account: new Account(key, API_VERSION),
      idempotency: new IdempotencyStore(),
      counters: { requests: 0, replays: 0, conflicts: 0, mismatches: 0 },
    };
    accounts.set(key, state);
  }
  return state;
}

const errorReply = (e: StripeError): Reply => ({ status: e.status, body: { error: e.body } });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Route = { method: string; pattern: RegExp; handle(a: Account, params: Record<string, unknown>, m: string[], ctx: RequestContext): unknown };

const routes: Route[] = [
  { method: "POST", pattern: /^\/v1\/payment_intents$/, handle: (a, p, _m, ctx) => a.createPaymentIntent(p, ctx) },
  { method: "GET", pattern: /^\/v1\/payment_intents\/([^/]+)$/, handle: (a, _p, m) => a.retrievePaymentIntent(m[1] ?? "") },
  {
    method: "POST",
    pattern: /^\/v1\/payment_intents\/([^/]+)\/confirm$/,
    handle: (a, p, m, ctx) => a.confirmPaymentIntent(m[1] ?? "", p, ctx),
  },
];

async function handleApi(req: IncomingMessage, path: string, rawBody: string, log: LogLine): Promise<Reply> {
  const auth = req.headers.authorization ?? "";
  const secretKey = auth.startsWith("Bearer ") ? auth.slice(7) : "";
  if (!/^sk_test_\w+$/.test(secretKey)) {
    return {
      status: 401,
      body: { error: { type: "invalid_request_error", message: "Invalid API Key provided: use a sk_test_… key." } },
    };
  }
  const state = accountFor(secretKey);
  state.counters.requests++;
  const method = req.method ?? "GET";
  const route = routes.find((r) => r.method === method && r.pattern.test(path));
  if (!route) {
    return errorReply(StripeError.invalid(`Unrecognized request URL (${method}: ${path}).`));
  }
  const params = method === "GET" ? qs.parse(new URL(path, "http://x").search.slice(1)) : qs.parse(rawBody);
  const match = path.match(route.pattern) ?? [];
  const key = method === "POST" ? (req.headers["idempotency-key"] as string | undefined) : undefined;
  const ctx: RequestContext = { requestId: log.requestId, idempotencyKey: key ?? null };
  log.key = key;

  const execute = async (): Promise<Reply> => {
    if (settings.latencyMs > 0) await sleep(settings.latencyMs);
    try {
      return { status: 200, body: route.handle(state.account, params, match, ctx) };
    } catch (error) {
      if (error instanceof StripeError) return errorReply(error);
      console.error(error);
      return { status: 500, body: { error: { type: "api_error", message: "An unknown error occurred." } } };
    }
  };

  if (!key) return execute();
  if (key.length > MAX_KEY_LENGTH) {
    return errorReply(StripeError.invalid(`Idempotency-Key must be at most ${MAX_KEY_LENGTH} characters.`));
  }
  const lookup = state.idempotency.lookup(key, requestFingerprint(method, path, params));
  switch (lookup.kind) {
    case "replay":
      state.counters.replays++;
      log.replayed = true;
      return { status: lookup.status, body: lookup.body, headers: { "Idempotent-Replayed": "true" } };
    case "in_use":
      state.counters.conflicts++;
      return {
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
      };
    case "mismatch":
      state.counters.mismatches++;
      return {
        status: 400,
        headers: { "Stripe-Should-Retry": "false" },
        body: {
          error: {
            type: "idempotency_error",
            message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
          },
        },
      };
    case "new": {
      const reply = await execute();
      // Validation failures (400, 404) never ran, so Stripe does not keep them.
      if (reply.status === 400 || reply.status === 404) lookup.forget();
      else lookup.complete(reply.status, reply.body);
      return reply;
    }
  }
}

function ledger(key: string) {
  const state = accounts.get(key);
  if (!state) return { account: key, counters: null, paymentIntents: [] };
  const { account, counters } = state;
  return {
    account: key,
    counters: {
      ...counters,
      paymentIntents: account.paymentIntents.size,
      charges: [...account.charges.values()].filter((c) => c.status === "succeeded").length,
      failedCharges: [...account.charges.values()].filter((c) => c.status === "failed").length,
    },
    paymentIntents: [...account.paymentIntents.values()]
      .map((pi) => ({ ...pi, charges: account.chargesFor(pi.id) }))
      .sort((a, b) => b.created - a.created),
  };
}

async function handleControl(req: IncomingMessage, url: URL, rawBody: string): Promise<Reply> {
  const route = `${req.method} ${url.pathname}`;
  if (route === "GET /_control/health") return { status: 200, body: { ok: true } };
  if (route === "GET /_control/ledger") {
    const key = url.searchParams.get("account");
    return { status: 200, body: key ? ledger(key) : { accounts: [...accounts.keys()].map(ledger) } };
  }
  if (route === "POST /_control/settings") {
    const body = rawBody ? JSON.parse(rawBody) : {};
    if (body.latencyMs !== undefined) {
      const latency = Number(body.latencyMs);
      if (!Number.isFinite(latency) || latency < 0 || latency > 60_000) {
        return { status: 400, body: { error: "latencyMs must be 0..60000" } };
      }
      settings.latencyMs = latency;
    }
    return { status: 200, body: settings };
  }
  if (route === "POST /_control/reset") {
    accounts.clear();
    return { status: 200, body: { ok: true } };
  }
  return { status: 404, body: { error: `no control route ${route}` } };
}

type LogLine = { requestId: string; key?: string; replayed?: boolean };

const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
  const started = Date.now();
  const log: LogLine = { requestId: newId("req") };
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const rawBody = Buffer.concat(chunks).toString("utf8");
  const url = new URL(req.url ?? "/", "http://localhost");

  let reply: Reply;
  try {
    reply = url.pathname.startsWith("/_control/")
      ? await handleControl(req, url, rawBody)
      : await handleApi(req, url.pathname + url.search, rawBody, log);
  } catch (error) {
    console.error(error);
    reply = { status: 500, body: { error: { type: "api_error", message: String(error) } } };
  }
  res.writeHead(reply.status, {
    "Content-Type": "application/json",
    "Request-Id": log.requestId,
    "Stripe-Version": API_VERSION,
    ...(log.key && { "Idempotency-Key": log.key }),
    ...reply.headers,
  });
  res.end(JSON.stringify(reply.body));
  if (!url.pathname.startsWith("/_control/") || process.env.LOCAL_STRIPE_LOG_CONTROL) {
    const key = log.key ? ` key=${log.key}` : "";
    const replayed = log.replayed ? " replayed" : "";
    console.log(`${req.method} ${url.pathname}${key}${replayed} → ${reply.status} (${Date.now() - started} ms)`);
  }
});

const port = Number(process.env.LOCAL_STRIPE_PORT ?? 12111);
const host = process.env.LOCAL_STRIPE_HOST ?? "127.0.0.1";
server.listen(port, host, () => console.log(`local Stripe listening on http://${host}:${port}`));
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.close(() => process.exit(0)));
