// bench:scale's cleanup under load: a steady stream of claims (a new key,
// then a replay of a finished one, at a fixed pace like a shop's traffic, not
// as fast as the machine goes) for a while with no reaper, then as long again
// with the real reapers (the kit's reapExpired, the worker's webhook, job
// and session reapers) running back to back on the day's backlog, each as the
// worker runs it (lib/worker/maintenance.server.ts REAPING). What it reports: every claim's latency and moment, and the
// rows each reaper deleted in its time.
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { setImmediate as yieldToTimers, setTimeout as sleep } from "node:timers/promises";

export type Sample = { second: number; ms: number; reaping: boolean };
export type Reaped = { table: string; rows: number; seconds: number };
/** reapingSeconds: from the reapers' start to the end of the sweep running when the phase's time was up. */
export type Reaping = { samples: Sample[]; reaped: Reaped[]; claimsPerSecond: number; reapingSeconds: number };

const WORKERS = 4;

export async function reapUnderLoad(phaseSeconds: number, claimsPerSecond: number): Promise<Reaping> {
  const { claim, requestFingerprint } = await import("@payonce/kit");
  const { checkout } = await import("../../lib/orders/checkout.server");
  const { db } = await import("../../lib/db/db.server");
  const { attempts } = await import("../../lib/db/attempts.server");
  const { REAPING, reapExpired, reapWebhookEvents, reapFinishedJobs, reapExpiredSessions } = await import("../../lib/worker/maintenance.server");
  const { newCart, newSession } = await import("../../tests/helpers");

  const session = await newSession();
  const fingerprint = requestFingerprint("POST", "/bench", {});
  // A finished checkout per worker, its key to replay (with its own fingerprint).
  const finished = await Promise.all(
    Array.from({ length: WORKERS }, async () => {
      const key = randomUUID();
      await checkout({
        session,
        idempotencyKey: key,
        input: { cartId: (await newCart(session.id)).id, email: "r@example.com", paymentMethod: "pm_card_visa" },
      });
      return db.attempt.findUniqueOrThrow({ where: { scope_key: { scope: session.id, key } } });
    }),
  );

  const samples: Sample[] = [];
  const start = performance.now();
  let reaping = false;
  let stop = false;
  const interval = (1000 * WORKERS) / claimsPerSecond;
  const load = Promise.all(
    finished.map(async (replay, w) => {
      for (let n = 0; !stop; n++) {
        const due = start + w * (interval / WORKERS) + n * interval;
        if (due > performance.now()) await sleep(due - performance.now());
        const input = n % 2 === 0 ? { scope: session.id, key: randomUUID(), fingerprint } : replay;
        const t = performance.now();
        await claim(attempts(), { scope: input.scope, key: input.key, fingerprint: input.fingerprint });
        samples.push({ second: (t - start) / 1000, ms: performance.now() - t, reaping });
      }
    }),
  );

  await sleep(phaseSeconds * 1000);
  reaping = true;
  // The day's cut-off for webhook events and jobs (the fill's oldest 2/26 are past it); attempts expire by their own expiresAt.
  const dayAgo = new Date(Date.now() - 86_400_000);
  // Each as the worker calls it (its batches, pauses and cap per sweep), one after another, again and again.
  const reapers: [string, () => Promise<number>][] = [
    ["Attempt", () => reapExpired(REAPING)],
    ["WebhookEvent", () => reapWebhookEvents(dayAgo, REAPING)],
    ["Job (+ JobStep)", () => reapFinishedJobs(dayAgo, REAPING)],
    ["Session", () => reapExpiredSessions(new Date(), REAPING.batch)],
  ];
  const reaped = new Map(reapers.map(([table]) => [table, { table, rows: 0, seconds: 0 }]));
  const reapingFrom = performance.now();
  const until = reapingFrom + phaseSeconds * 1000;
  while (performance.now() < until) {
    for (const [table, reap] of reapers) {
      const t = performance.now();
      const rows = await reap();
      const entry = reaped.get(table)!;
      entry.rows += rows;
      entry.seconds += (performance.now() - t) / 1000;
      // SQLite's client answers in-process, its promises settle as microtasks: a sweep that finds
      // nothing (so never pauses) would starve the claims' timers. The worker waits between sweeps.
      await yieldToTimers();
    }
  }
  const reapingSeconds = (performance.now() - reapingFrom) / 1000;
  stop = true;
  await load;
  return { samples, reaped: [...reaped.values()], claimsPerSecond, reapingSeconds };
}
