// The faults, drawn from the seed one after another while the customers shop:
// the payment provider slow or failing in each of Stripe's ways, webhooks
// duplicated, delayed and shuffled, an app instance or the worker killed as
// `kill -9` would and started again, and on PostgreSQL the database cut off.
import type { FailureMode } from "@payonce/stripe-local/faults";
import { restartDatabase, type Cluster } from "./cluster";
import type { Random } from "./random";

export const FAULT_KINDS = [
  "stripe latency",
  "stripe 500",
  "stripe stored 500",
  "stripe stored 500 after the work",
  "stripe connection dropped",
  "stripe charges, then drops the answer",
  "webhooks duplicated, delayed, shuffled",
  "app instance killed",
  "worker killed",
  "database restarted",
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

const FAILURES: Partial<Record<FaultKind, FailureMode>> = {
  "stripe 500": "500",
  "stripe stored 500": "500_stored",
  "stripe stored 500 after the work": "500_stored_after_work",
  "stripe connection dropped": "drop",
  "stripe charges, then drops the answer": "commit_then_drop",
};

/** A fault: when (ms since the campaign started), what, and for how long, where it lasts a while. */
export type Injected = { at: number; kind: FaultKind; detail: string; ms?: number };

export class Faults {
  readonly injected: Injected[] = [];

  constructor(
    private readonly cluster: Cluster,
    private readonly stripeBase: string,
    private readonly databaseUrl: string | null,
    private readonly started: number,
  ) {}

  private async control(body: unknown, tries = 3): Promise<void> {
    try {
      const response = await fetch(`${this.stripeBase}/_control/faults`, { method: "POST", body: JSON.stringify(body) });
      if (!response.ok) throw new Error(`local Stripe faults: ${response.status}`);
    } catch (error) {
      // A kept-alive connection the server closed as we reused it (ECONNRESET): ask again.
      if (tries <= 1) throw error;
      await this.control(body, tries - 1);
    }
  }

  get kinds(): FaultKind[] {
    return FAULT_KINDS.filter((k) => k !== "database restarted" || this.databaseUrl !== null);
  }

  /** One fault, chosen and shaped by `random`; resolves when it is over (a killed process is back). */
  async inject(random: Random) {
    const kind = random.pick(this.kinds);
    const record = (detail: string, ms?: number) => this.injected.push({ at: Date.now() - this.started, kind, detail, ...(ms && { ms }) });
    const mode = FAILURES[kind];
    if (mode) {
      const count = random.int(1, 3);
      const path = random.chance(0.8) ? "/v1/payment_intents" : "/v1/refunds"; // a checkout's payment, or an admin's refund
      record(`POST ${path} × ${count}`);
      return this.control({ fail: { method: "POST", path, mode, count } });
    }
    switch (kind) {
      case "stripe latency": {
        const latencyMs = random.int(200, 2_500);
        record(`${latencyMs} ms for ${random.int(3, 8)} s`);
        await this.control({ latencyMs });
        await new Promise((r) => setTimeout(r, random.int(3_000, 8_000)));
        return this.control({ latencyMs: 0 });
      }
      case "webhooks duplicated, delayed, shuffled": {
        const webhooks = { duplicates: random.int(1, 3), delayMs: random.int(0, 2_000), shuffle: random.chance(0.5) };
        record(JSON.stringify(webhooks));
        await this.control({ webhooks });
        await new Promise((r) => setTimeout(r, random.int(5_000, 10_000)));
        return this.control({ webhooks: { duplicates: 0, delayMs: 0, shuffle: false } });
      }
      case "app instance killed": {
        const index = random.int(0, this.cluster.apps.length - 1);
        const downMs = random.int(500, 3_000);
        record(`${this.cluster.apps[index]!.base}, down ${downMs} ms`);
        this.cluster.apps[index]!.process.kill();
        await new Promise((r) => setTimeout(r, downMs));
        return this.cluster.startApp(index);
      }
      case "worker killed": {
        const downMs = random.int(500, 5_000);
        record(`down ${downMs} ms`);
        this.cluster.worker.kill();
        await new Promise((r) => setTimeout(r, downMs));
        return this.cluster.worker.start();
      }
      case "database restarted": {
        const downMs = random.int(500, 3_000);
        record(`every connection cut, new ones refused for ${downMs} ms`, downMs);
        return restartDatabase(this.databaseUrl!, downMs);
      }
    }
  }

  /** Every fault off: the provider healthy, webhooks once, every process running. */
  async clear() {
    await this.control({ clearFailures: true, latencyMs: 0, webhooks: { duplicates: 0, delayMs: 0, shuffle: false } });
    await this.cluster.heal();
  }

  /** Whether the span [from, to] met a time the database was cut off (or the few seconds after, while pools reconnect). */
  databaseDownDuring(from: number, to: number) {
    return this.injected.some((f) => f.kind === "database restarted" && to >= f.at && from <= f.at + (f.ms ?? 0) + 3_000);
  }

  count(kind: FaultKind) {
    return this.injected.filter((f) => f.kind === kind).length;
  }
}
