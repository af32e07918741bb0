// The control API (/_control/…), this server's own, for tests and demos: the
// ledger of what each account holds, faults (latency, failures in each of
// Stripe's ways, duplicated, delayed and shuffled webhooks), webhook
// endpoints, idempotency keys made old, and a reset. No key is asked for:
// whoever reaches the server may use it, which is why it listens on loopback
// unless told otherwise, and why it can be started read-only.
import { z } from "zod";
import type { Incoming } from "./api.ts";
import { FAILURE_MODES, type FaultsRequest } from "./faults.ts";
import type { Settings } from "./options.ts";
import type { Reply } from "./reply.ts";
import type { ServerState } from "./state.ts";
import type { Delivery } from "./webhooks.ts";
import { isLocalSigningSecret, LOCAL_WEBHOOK_SECRET, SIGNING_SECRET_RULE } from "./webhook-secret.ts";

/** An account's counters, PaymentIntents (newest first, with their charges), refunds and events with their deliveries. */
function ledger(server: ServerState, key: string) {
  const state = server.accounts.get(key);
  if (!state) return { account: key, counters: null, paymentIntents: [], refunds: [], events: [] };
  const { account, counters } = state;
  // One pass, not one per event: a long chaos campaign's ledger has tens of thousands of each.
  const deliveriesOf = new Map<string, Delivery[]>();
  for (const d of server.webhooks.deliveries) deliveriesOf.set(d.eventId, [...(deliveriesOf.get(d.eventId) ?? []), d]);
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
    refunds: [...account.refunds.byId.values()],
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
      // Up to an hour: a story can hold its webhooks back until it is over (Stripe itself retries for days).
      delayMs: z.number().int().min(0).max(3_600_000).default(0),
      shuffle: z.boolean().default(false),
    })
    .optional(),
}) satisfies z.ZodType<unknown, FaultsRequest>;

const ageInput = z.strictObject({ account: z.string(), key: z.string(), hours: z.number().positive().max(1000) });

// A secret of the endpoint's own, but only one this server may hold (webhook-secret.ts).
const signingSecret = z.string().refine(isLocalSigningSecret, { message: SIGNING_SECRET_RULE }).default(LOCAL_WEBHOOK_SECRET);
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

/** A request to /_control/…; with `controlWrites` off, reads only. */
export function handleControl(server: ServerState, settings: Settings, { req, url, rawBody }: Incoming): Reply {
  const route = `${req.method} ${url.pathname}`;
  if (req.method !== "GET" && !settings.controlWrites) {
    return { status: 403, body: { error: "the control API is read-only (this server was started with --read-only-control)" } };
  }
  if (route === "GET /_control/health") return { status: 200, body: { ok: true } };
  if (route === "GET /_control/ledger") {
    const key = url.searchParams.get("account");
    return { status: 200, body: key ? ledger(server, key) : { accounts: [...server.accounts.keys()].map((k) => ledger(server, k)) } };
  }
  if (route === "GET /_control/faults") return { status: 200, body: server.faults.snapshot() };
  if (route === "POST /_control/faults") {
    const input = parseJson(faultsInput, rawBody);
    if (!input.ok) return input.reply;
    if (input.data.clearFailures) server.faults.clearFailures();
    if (input.data.latencyMs !== undefined) server.faults.latencyMs = input.data.latencyMs;
    if (input.data.fail) server.faults.fail(input.data.fail);
    if (input.data.webhooks) server.faults.webhooks = input.data.webhooks;
    return { status: 200, body: server.faults.snapshot() };
  }
  if (route === "POST /_control/idempotency/age") {
    // Time travel for tests: make a key as old as if it had been used `hours` ago.
    const input = parseJson(ageInput, rawBody);
    if (!input.ok) return input.reply;
    const aged = server.accounts.get(input.data.account)?.idempotency.age(input.data.key, input.data.hours * 3600_000) ?? false;
    return aged ? { status: 200, body: { aged: true } } : { status: 404, body: { error: "no such account or key" } };
  }
  if (route === "GET /_control/webhooks") return { status: 200, body: { endpoints: server.webhooks.endpoints.map((e) => ({ url: e.url })) } };
  if (route === "POST /_control/webhooks") {
    const input = parseJson(webhooksInput, rawBody);
    if (!input.ok) return input.reply;
    server.webhooks.endpoints = input.data.endpoints;
    return { status: 200, body: { endpoints: server.webhooks.endpoints.map((e) => ({ url: e.url })) } };
  }
  if (route === "GET /_control/state") return { status: 200, body: server.store.stats() };
  if (route === "POST /_control/reset") {
    server.reset();
    return { status: 200, body: { ok: true } };
  }
  return { status: 404, body: { error: `no control route ${route}` } };
}
