// Fault injection, switched through the control API (POST /_control/faults).
// Every fault is bounded: a count of requests, or a setting until reset. The
// types of that API's requests and answers are here too, for its callers
// (@payonce/stripe-local/faults imports nothing else).
export type FailureMode =
  // The request fails before any work (an overloaded front end): nothing is stored.
  | "500"
  // The endpoint starts and fails before its work: the 500 is stored and replayed, as Stripe does.
  | "500_stored"
  // The work is done (a charge made), then the endpoint fails: the 500 is stored and
  // replayed. The result is indeterminate for the client, as Stripe warns.
  | "500_stored_after_work"
  // The connection drops before any work.
  | "drop"
  // The work is done and stored, then the connection drops: the client never hears.
  | "commit_then_drop";

export const FAILURE_MODES: FailureMode[] = ["500", "500_stored", "500_stored_after_work", "drop", "commit_then_drop"];

export type PathFault = { method: string | null; path: string; mode: FailureMode; remaining: number };

export type WebhookFaults = { duplicates: number; delayMs: number; shuffle: boolean };

/** What GET /_control/faults answers (and every POST to it): the faults switched on. */
export type FaultsSnapshot = { latencyMs: number; webhooks: WebhookFaults; failures: PathFault[] };

/**
 * What POST /_control/faults takes; what it names changes, the rest stays.
 * `fail`: the next `count` (1) requests to `path` (`method`: either, unless
 * given) fail in that mode. `webhooks`: what is left out is 0 or false.
 */
export type FaultsRequest = {
  clearFailures?: boolean;
  latencyMs?: number;
  fail?: { method?: "GET" | "POST"; path: string; mode: FailureMode; count?: number };
  webhooks?: Partial<WebhookFaults>;
};

export class Faults {
  latencyMs = 0;
  webhooks: WebhookFaults = { duplicates: 0, delayMs: 0, shuffle: false };
  private pathFaults: PathFault[] = [];

  fail(fault: { method?: string; path: string; mode: FailureMode; count: number }) {
    this.pathFaults.push({ method: fault.method?.toUpperCase() ?? null, path: fault.path, mode: fault.mode, remaining: fault.count });
  }

  /** The fault for this request, if one is armed for its path (counts it down). */
  take(method: string, path: string): FailureMode | null {
    const fault = this.pathFaults.find((f) => f.remaining > 0 && (!f.method || f.method === method) && path === f.path);
    if (!fault) return null;
    fault.remaining--;
    return fault.mode;
  }

  clearFailures() {
    this.pathFaults = [];
  }

  reset() {
    this.latencyMs = 0;
    this.webhooks = { duplicates: 0, delayMs: 0, shuffle: false };
    this.pathFaults = [];
  }

  snapshot(): FaultsSnapshot {
    return { latencyMs: this.latencyMs, webhooks: this.webhooks, failures: this.pathFaults.filter((f) => f.remaining > 0) };
  }
}
