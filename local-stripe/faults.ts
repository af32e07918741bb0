// Fault injection, switched through the control API (POST /_control/faults).
// Every fault is bounded: a count of requests, or a setting until reset.
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

type PathFault = { method: string | null; path: string; mode: FailureMode; remaining: number };

export type WebhookFaults = { duplicates: number; delayMs: number; shuffle: boolean };

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

  snapshot() {
    return { latencyMs: this.latencyMs, webhooks: this.webhooks, failures: this.pathFaults.filter((f) => f.remaining > 0) };
  }
}
