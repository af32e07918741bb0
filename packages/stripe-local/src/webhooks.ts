// Webhook delivery as Stripe does it: each event POSTed to every endpoint with
// a genuine Stripe-Signature header (made by the SDK itself), retried with
// exponential backoff until a 2xx. Faults can duplicate, delay and shuffle.
// Each try ends at its deadline whatever fetch does (fetch-within.ts), so a
// delivery is always tried again.
import Stripe from "stripe";
import { fetchWithin } from "./fetch-within.ts";
import type { Faults } from "./faults.ts";
import type { Event } from "./events.ts";
import { currentTraceParent } from "./trace-context.ts";

export type Endpoint = { url: string; secret: string };
// The answer's body is kept, as Stripe's dashboard shows it: the app's own word on what it did.
type Attempt = { at: string; status: number | null; body?: string; error?: string };
/** `trying`: when the try in flight started (none between tries). */
export type Delivery = { eventId: string; type: string; url: string; copy: number; attempts: Attempt[]; delivered: boolean; trying?: string };

const MAX_ATTEMPTS = 6;
const TRY_TIMEOUT_MS = 10_000;
const BACKOFF_MS = 500;
const signer = new Stripe("sk_test_signer");

export class WebhookSender {
  endpoints: Endpoint[] = [];
  readonly deliveries: Delivery[] = [];
  private timers = new Set<NodeJS.Timeout>();

  /** Called whenever a delivery is added or attempted, with its place in `deliveries` (the store keeps it). */
  onChange: (index: number, delivery: Delivery) => void = () => {};

  private readonly tryTimeoutMs: number;
  private readonly backoffMs: number;
  private readonly log: (line: string) => void;

  /** `backoffMs`: the wait before the second try, doubled before each next one. */
  constructor(
    private readonly faults: Faults,
    { tryTimeoutMs = TRY_TIMEOUT_MS, backoffMs = BACKOFF_MS, log = () => {} }: { tryTimeoutMs?: number; backoffMs?: number; log?: (line: string) => void } = {},
  ) {
    this.tryTimeoutMs = tryTimeoutMs;
    this.backoffMs = backoffMs;
    this.log = log;
  }

  /** Puts back the delivery log read from the store. Deliveries still pending when it stopped are not resumed. */
  restore(deliveries: Delivery[]) {
    this.deliveries.push(...deliveries);
  }

  /** Sends `event` to every endpoint; its `pending_webhooks` counts the endpoints that have not yet answered 2xx. */
  send(event: Event) {
    event.pending_webhooks = this.endpoints.length;
    const { duplicates, delayMs, shuffle } = this.faults.webhooks;
    const traceParent = currentTraceParent();
    for (const endpoint of this.endpoints) {
      for (let copy = 0; copy <= duplicates; copy++) {
        const delivery: Delivery = { eventId: event.id, type: event.type, url: endpoint.url, copy, attempts: [], delivered: false };
        this.onChange(this.deliveries.push(delivery) - 1, delivery);
        const wait = shuffle ? Math.random() * Math.max(delayMs, 200) : delayMs;
        this.later(wait, () => this.attempt(event, endpoint, delivery, traceParent));
      }
    }
  }

  private later(ms: number, fn: () => void) {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  /** `traceParent`: the trace context of the API request that caused the event, handed on as a header. */
  private async attempt(event: Event, endpoint: Endpoint, delivery: Delivery, traceParent: string | undefined) {
    const payload = JSON.stringify(event);
    const signature = signer.webhooks.generateTestHeaderString({ payload, secret: endpoint.secret });
    let status: number | null = null;
    let body: string | undefined;
    let error: string | undefined;
    delivery.trying = new Date().toISOString();
    try {
      const headers = {
        "Content-Type": "application/json",
        "Stripe-Signature": signature,
        "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
        ...(traceParent && { traceparent: traceParent }),
      };
      const answer = await fetchWithin(
        endpoint.url,
        { method: "POST", headers, body: payload },
        this.tryTimeoutMs,
        `no answer within ${this.tryTimeoutMs / 1000} s`,
      );
      status = answer.response.status;
      body = answer.body.slice(0, 500);
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    delete delivery.trying;
    delivery.attempts.push({ at: new Date().toISOString(), status, ...(body !== undefined && { body }), ...(error && { error }) });
    delivery.delivered = status !== null && status >= 200 && status < 300;
    const copyDelivered = this.deliveries.some((d) => d !== delivery && d.eventId === event.id && d.url === endpoint.url && d.delivered);
    if (delivery.delivered && !copyDelivered) event.pending_webhooks = Math.max(0, event.pending_webhooks - 1);
    const index = this.deliveries.indexOf(delivery);
    if (index >= 0) this.onChange(index, delivery); // not reset meanwhile
    this.log(`webhook ${event.type} ${event.id} → ${endpoint.url} ${status ?? error} (attempt ${delivery.attempts.length})`);
    if (!delivery.delivered && delivery.attempts.length < MAX_ATTEMPTS) {
      this.later(this.backoffMs * 2 ** (delivery.attempts.length - 1), () => this.attempt(event, endpoint, delivery, traceParent));
    }
  }

  /** No more tries: every delivery still waiting is left as it is. */
  stop() {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  reset() {
    this.stop();
    this.deliveries.length = 0;
  }
}
