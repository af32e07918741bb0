// npm run worker: runs beside the app (npm run dev / npm start start it too).
// Runs jobs (fulfillment, sold-out refunds) as they come; on a timer of its
// own, every few seconds, finishes abandoned attempts (checkouts, refunds),
// reaps expired idempotency keys, old webhook events and finished jobs, expired sessions and old limit counters (in
// bounded batches), gives back the stock of orders unpaid past
// the hold window and relays account e-mail left in the outbox.
import { checkoutCrash, jobCrash } from "../lib/demo/crash.server";
import { jobStepPolicy, paidAgainInOrderSession, sessionPolicy } from "../lib/demo/policy.server";
import { env } from "../lib/env.server";
import { fulfillmentJob } from "../lib/worker/fulfillment.server";
import { claimJob, newWorkerId, runJob, type JobDefinition, type JobRunOptions } from "../lib/worker/jobs.server";
import { completeAbandoned, reapExpired, reapExpiredSessions, reapFinishedJobs, reapRateCounts, reapWebhookEvents } from "../lib/worker/maintenance.server";
import { releaseAbandonedPayments } from "../lib/orders/payment-settlement.server";
import { soldOutRefundJob } from "../lib/worker/sold-out-refund.server";
import { relayOutbox } from "../lib/worker/outbox.server";
import { startTracing } from "../lib/telemetry/tracing.server";
import { setTimeout as sleep } from "node:timers/promises";

// With OTEL_EXPORTER_OTLP_ENDPOINT set, each job is a span in the trace of the checkout that queued it.
const tracing = await startTracing("payonce-worker");

// The demo enters here: each session's switches as the policy of its attempts
// and of its orders' fulfillment, and the crash tests' fault switches as hooks.
const crashAfterStep = jobCrash();
const JOBS: Record<string, { definition: JobDefinition; options: JobRunOptions }> = {
  [fulfillmentJob.kind]: { definition: fulfillmentJob, options: { policy: jobStepPolicy, crashAfterStep } },
  // Always recorded: the demo's job-steps switch is fulfillment's.
  [soldOutRefundJob.kind]: { definition: soldOutRefundJob, options: { crashAfterStep } },
};
const workerId = newWorkerId();
// Asked to stop: the job or upkeep in hand finishes, the waits between them end at once.
const stopping = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => stopping.abort());
const pause = (ms: number) => sleep(ms, undefined, { signal: stopping.signal }).catch(() => {});

async function maintenance() {
  const { tried, completed } = await completeAbandoned({ policy: sessionPolicy, crashAfter: checkoutCrash() });
  const reaped = await reapExpired();
  const webhookEvents = await reapWebhookEvents();
  const jobs = await reapFinishedJobs();
  const sessions = await reapExpiredSessions();
  const counters = await reapRateCounts();
  const { released, canceled } = await releaseAbandonedPayments(new Date(), { onPaidAgain: paidAgainInOrderSession });
  const relayed = await relayOutbox();
  if (tried || reaped || webhookEvents || jobs || sessions || counters || released || canceled || relayed) {
    console.log(
      `worker: completed ${completed}/${tried} abandoned attempts, reaped ${reaped} expired keys, ${webhookEvents} old webhook events, ${jobs} finished jobs, ${sessions} expired sessions and ${counters} old counters, released the stock of ${released} unpaid orders, canceled ${canceled} abandoned payments, relayed ${relayed} e-mails`,
    );
  }
}

/** Jobs run back to back as they come; upkeep, which may wait on Stripe for seconds, never holds them up. */
async function runJobs() {
  while (!stopping.signal.aborted) {
    try {
      const job = await claimJob(workerId);
      if (job) {
        const run = JOBS[job.kind];
        const result = run ? await runJob(run.definition, job, workerId, run.options) : "unknown kind";
        console.log(`${workerId}: job ${job.id} (${job.kind}, order ${job.orderId}, attempt ${job.attempts}): ${result}`);
        continue;
      }
    } catch (error) {
      console.error(`${workerId}:`, error);
    }
    await pause(env().jobs.pollMs);
  }
}

async function keepUp() {
  while (!stopping.signal.aborted) {
    await maintenance().catch((error: unknown) => console.error(`${workerId}: upkeep:`, error));
    await pause(env().completerIntervalMs);
  }
}

console.log(`${workerId}: jobs every ${env().jobs.pollMs} ms, upkeep every ${env().completerIntervalMs / 1000} s`);
await Promise.all([runJobs(), keepUp()]);
console.log(`${workerId}: stopped`);
await tracing?.shutdown();
process.exit(0);
