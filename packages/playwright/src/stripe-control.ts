// A test's hand on the local Stripe server (@payonce/stripe-local): its
// control API (/_control/…) as typed calls. Reset between tests, switch
// faults, latency and duplicated webhooks on, and read the ledger: what the
// server holds (PaymentIntents, charges, refunds, events), which is the
// payment side's source of truth, the count an "exactly once" is held to.
import type { FailureMode, FaultsRequest, FaultsSnapshot } from "@payonce/stripe-local/faults";

/** The fields of the ledger's objects a test counts by (the ledger holds Stripe's whole objects). */
export type LedgerCharge = { id: string; status: string; amount: number; amount_refunded: number; refunded: boolean; payment_intent: string | null };
export type LedgerPaymentIntent = {
  id: string;
  status: string;
  amount: number;
  currency: string;
  metadata: Record<string, string>;
  created: number;
  charges: LedgerCharge[];
};
export type LedgerRefund = { id: string; status: string; amount: number; charge: string; payment_intent: string; created: number };
export type LedgerEvent = { id: string; type: string; created: number; objectId: string | null; deliveries: unknown[] };
/** One account's ledger: `counters` is null until the account (a secret key) has made a request. */
export type Ledger = {
  account: string;
  counters: Record<string, number> | null;
  paymentIntents: LedgerPaymentIntent[];
  refunds: LedgerRefund[];
  events: LedgerEvent[];
};

export class StripeControl {
  /** `url`: the server's (http://127.0.0.1:port), as start() or the fixture gives it. */
  constructor(readonly url: string) {}

  private async call<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.url}/_control/${path}`, { method, ...(body !== undefined && { body: JSON.stringify(body) }) });
    if (!response.ok) throw new Error(`local Stripe ${method} /_control/${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  /** Forgets every account, key, object and event; faults and webhook endpoints go back to how the server was started. */
  async reset(): Promise<void> {
    await this.call("POST", "reset");
  }

  /** Switches faults (what the request names changes, the rest stays); answers every fault now on. */
  faults(request: FaultsRequest): Promise<FaultsSnapshot> {
    return this.call("POST", "faults", request);
  }

  /** Adds `ms` before every API answer (0: none). */
  latency(ms: number): Promise<FaultsSnapshot> {
    return this.faults({ latencyMs: ms });
  }

  /** The next `count` (1) requests to `path` (/v1/…) fail in `mode` ("500", "500_stored", "500_stored_after_work", "drop", "commit_then_drop"). */
  fail(path: string, mode: FailureMode, { count = 1, method }: { count?: number; method?: "GET" | "POST" } = {}): Promise<FaultsSnapshot> {
    return this.faults({ fail: { path, mode, count, ...(method && { method }) } });
  }

  /** Every webhook event is delivered `duplicates` more times, each delayed up to `delayMs`, out of order if `shuffle`. */
  duplicateWebhooks(duplicates: number, { delayMs = 0, shuffle = false }: { delayMs?: number; shuffle?: boolean } = {}): Promise<FaultsSnapshot> {
    return this.faults({ webhooks: { duplicates, delayMs, shuffle } });
  }

  /** Where events are POSTed, signed (secret: the server's public local one unless given). */
  async webhookEndpoints(endpoints: { url: string; secret?: string }[]): Promise<void> {
    await this.call("POST", "webhooks", { endpoints });
  }

  /** What the server holds for the account whose secret key is `account` (sk_test_…). */
  ledger(account: string): Promise<Ledger> {
    return this.call("GET", `ledger?account=${encodeURIComponent(account)}`);
  }

  /** The account's PaymentIntents, newest first, each with its charges. */
  async paymentIntents(account: string): Promise<LedgerPaymentIntent[]> {
    return (await this.ledger(account)).paymentIntents;
  }

  /** The account's charges (`status` "succeeded" for the money taken), newest PaymentIntent's first. */
  async charges(account: string): Promise<LedgerCharge[]> {
    return (await this.paymentIntents(account)).flatMap((pi) => pi.charges);
  }

  async refunds(account: string): Promise<LedgerRefund[]> {
    return (await this.ledger(account)).refunds;
  }

  /** The account's events (of `type`, if given), each with its webhook deliveries. */
  async events(account: string, type?: string): Promise<LedgerEvent[]> {
    return (await this.ledger(account)).events.filter((e) => type === undefined || e.type === type);
  }
}
