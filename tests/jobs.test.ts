// Fulfillment jobs: a worker process killed after each step continues instead
// of repeating; two workers racing for one job run it once.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { after, describe, it } from "node:test";
import { checkout } from "../lib/orders/checkout.server";
import { db } from "../lib/db/db.server";
import { fulfillmentJob, pointsFor } from "../lib/worker/fulfillment.server";
import { claimJob, runJob } from "../lib/worker/jobs.server";
import { ALL_ON } from "../lib/demo/protections";
import { demoSession } from "./demo-session";
import { newCart, newSession } from "./helpers";
import { stripeFaults } from "./local-stripe-control";
import { SERVER_NODE_ARGS } from "../scripts/node-args";
import { until } from "./wait";

const STEPS = fulfillmentJob.steps.map((s) => s.name);

/** A paid order (its job is queued by the payment), for a customer of its own. */
async function paidOrder(jobSteps = true) {
  const { session } = await demoSession({ ...ALL_ON, jobSteps });
  const cart = await newCart(session.id, { bottle: 1 });
  const email = `${randomUUID()}@example.com`;
  const result = await checkout({ session, idempotencyKey: randomUUID(), input: { cartId: cart.id, email, paymentMethod: "pm_card_visa" } });
  assert.equal(result.kind === "completed" && result.outcome.kind, "paid");
  const order = await db.order.findFirstOrThrow({ where: { sessionId: session.id } });
  return { order, email };
}

/** Other tests' paid orders queue jobs too: settle them, so the worker finds only this one. */
async function onlyJobOf(orderId: string) {
  await db.job.updateMany({ where: { orderId: { not: orderId }, state: { in: ["queued", "running"] } }, data: { state: "done" } });
}

/** Every worker a test started: one a failed test left running is stopped at the end, or this file would never exit. */
const workers = new Set<ChildProcess>();
after(() => workers.forEach((child) => child.kill("SIGKILL")));

/** Runs `npm run worker` until it has nothing left to do (or dies by its fault switch). */
function worker(env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [...SERVER_NODE_ARGS, "scripts/worker.ts"], {
    env: { ...process.env, JOB_POLL_MS: "50", JOB_LEASE_SECONDS: "1", JOB_BACKOFF_SECONDS: "0.1", ...env },
    stdio: "ignore",
  });
  workers.add(child);
  const exited = new Promise<string | number | null>((r) =>
    child.once("exit", (code, signal) => {
      workers.delete(child);
      r(signal ?? code);
    }),
  );
  return { exited, stop: () => child.kill("SIGTERM") };
}

async function effects(orderId: string, email: string) {
  const [emails, grants, shipments, account] = await Promise.all([
    db.outboxEmail.count({ where: { orderId } }),
    db.pointsGrant.count({ where: { orderId } }),
    db.shipment.count({ where: { orderId } }),
    db.loyaltyAccount.findUnique({ where: { email } }),
  ]);
  return { emails, grants, shipments, points: account?.points ?? 0 };
}

describe("fulfillment jobs", () => {
  it("paying enqueues exactly one job, in the same transaction", async () => {
    const { order } = await paidOrder();
    assert.equal(await db.job.count({ where: { orderId: order.id } }), 1);
  });

  for (const step of STEPS) {
    it(`worker killed after step ${step}, restarted: every step done exactly once`, async () => {
      const { order, email } = await paidOrder();
      await onlyJobOf(order.id);
      const crashing = worker({ PAYONCE_JOB_CRASH_AFTER_STEP: step });
      assert.equal(await crashing.exited, "SIGKILL");
      const recorded = await db.jobStep.findMany({ where: { job: { orderId: order.id } }, orderBy: { id: "asc" } });
      assert.equal(recorded.at(-1)?.name, step);

      const healthy = worker();
      await until(async () => (await db.job.findUniqueOrThrow({ where: { orderId: order.id } })).state === "done", "the job to finish");
      healthy.stop();
      await healthy.exited;
      assert.deepEqual(await effects(order.id, email), { emails: 1, grants: 1, shipments: 1, points: pointsFor(order.amountCents) });
      const job = await db.job.findUniqueOrThrow({ where: { orderId: order.id }, include: { steps: true } });
      assert.deepEqual(job.steps.map((s) => s.name).sort(), [...STEPS].sort());
      assert.equal(job.attempts, 2);
    });
  }

  it("with step recording (and effect keys) switched off, the same crash repeats what was done", async () => {
    const { order, email } = await paidOrder(false);
    await onlyJobOf(order.id);
    const crashing = worker({ PAYONCE_JOB_CRASH_AFTER_STEP: "loyalty_points" });
    assert.equal(await crashing.exited, "SIGKILL");
    const healthy = worker();
    await until(async () => (await db.job.findUniqueOrThrow({ where: { orderId: order.id } })).state === "done", "the job to finish");
    healthy.stop();
    await healthy.exited;
    const after = await effects(order.id, email);
    assert.equal(after.emails, 2);
    assert.equal(after.points, 2 * pointsFor(order.amountCents));
  });

  // Found by a 30-minute `npm run chaos -- --seed 579784261 --db postgres`: the worker ran its
  // upkeep between two jobs, so while the completer waited on a slow Stripe no job ran (3,857
  // paid orders were still waiting for their fulfillment when the campaign ended).
  it("chaos seed 579784261: jobs run while the upkeep waits on Stripe", async () => {
    const { order } = await paidOrder();
    await onlyJobOf(order.id);
    // An attempt the completer will resume: Stripe failed it at its charge.
    const session = await newSession();
    const cart = await newCart(session.id);
    const key = randomUUID();
    await stripeFaults({ fail: { path: "/v1/payment_intents", mode: "500", count: 1000 } });
    const failed = await checkout({ session, idempotencyKey: key, input: { cartId: cart.id, email: "slow@example.com", paymentMethod: "pm_card_visa" } });
    assert.equal(failed.kind, "unavailable");
    await stripeFaults({ clearFailures: true, latencyMs: 6_000 });
    const running = worker({ COMPLETER_INTERVAL_SECONDS: "1" });
    try {
      await until(async () => (await db.job.findUniqueOrThrow({ where: { orderId: order.id } })).state === "done", "the job to finish");
      const abandoned = await db.attempt.findUniqueOrThrow({ where: { scope_key: { scope: session.id, key } } });
      assert.equal(abandoned.recoveryPoint, "order_created", "the job finished while the completer was still waiting on Stripe");
    } finally {
      await stripeFaults({ latencyMs: 0 });
      running.stop();
      await running.exited;
    }
  });

  it("two workers racing for one job: one claims it, the steps run once", async () => {
    const { order, email } = await paidOrder();
    await onlyJobOf(order.id);
    const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => claimJob(`racer-${i}`)));
    const winners = claims.filter((c) => c !== null);
    assert.equal(winners.length, 1);
    assert.equal(await runJob(fulfillmentJob, winners[0]!, winners[0]!.leaseOwner!), "done");
    assert.deepEqual(await effects(order.id, email), { emails: 1, grants: 1, shipments: 1, points: pointsFor(order.amountCents) });
  });

  it("claims the job due first, queued or running past its lease; never one whose lease holds", async () => {
    const [a, b, c] = [await paidOrder(), await paidOrder(), await paidOrder()];
    await db.job.updateMany({
      where: { orderId: { notIn: [a.order.id, b.order.id, c.order.id] }, state: { in: ["queued", "running"] } },
      data: { state: "done" },
    });
    const now = new Date();
    const ago = (s: number) => new Date(now.getTime() - s * 1000);
    await db.job.update({ where: { orderId: a.order.id }, data: { state: "queued", runAfter: ago(10) } });
    await db.job.update({ where: { orderId: b.order.id }, data: { state: "running", leaseOwner: "dead-worker", lockedUntil: ago(1), runAfter: ago(20) } });
    await db.job.update({
      where: { orderId: c.order.id },
      data: { state: "running", leaseOwner: "live-worker", lockedUntil: new Date(now.getTime() + 60_000), runAfter: ago(30) },
    });
    assert.deepEqual([(await claimJob("w", now))?.orderId, (await claimJob("w", now))?.orderId, await claimJob("w", now)], [b.order.id, a.order.id, null]);
  });

  it("a job that keeps failing backs off, then is dead with its last error", async () => {
    const { order } = await paidOrder();
    await onlyJobOf(order.id);
    await db.job.update({ where: { orderId: order.id }, data: { maxAttempts: 2 } });
    const failing = { ...fulfillmentJob, steps: [{ name: "boom", run: async () => Promise.reject(new Error("mail server on fire")) }] };
    const first = (await claimJob("w1"))!;
    assert.equal(await runJob(failing, first, "w1"), "retry");
    const queued = await db.job.findUniqueOrThrow({ where: { orderId: order.id } });
    assert.equal(queued.state, "queued");
    assert.ok(queued.runAfter > new Date(), "backs off");
    assert.equal(await claimJob("w1", new Date()), null);
    const second = (await claimJob("w1", new Date(queued.runAfter.getTime() + 1)))!;
    assert.equal(await runJob(failing, second, "w1"), "dead");
    const dead = await db.job.findUniqueOrThrow({ where: { orderId: order.id } });
    assert.equal(dead.state, "dead");
    assert.equal(dead.lastError, "mail server on fire");
  });

  it("a job whose worker dies on every attempt ends dead, with the reason, though no step ever threw", async () => {
    const { order } = await paidOrder();
    await onlyJobOf(order.id);
    for (let attempt = 1; attempt <= 5; attempt++) {
      const job = await claimJob(`dying-worker-${attempt}`);
      assert.equal(job?.orderId, order.id);
      // The worker is killed before it finishes: its lease simply runs out.
      await db.job.update({ where: { id: job.id }, data: { lockedUntil: new Date(Date.now() - 1) } });
    }
    assert.equal(await claimJob("sixth-worker"), null);
    const job = await db.job.findUniqueOrThrow({ where: { orderId: order.id } });
    assert.equal(job.state, "dead");
    assert.match(job.lastError ?? "", /gave up after 5 attempts: its worker stopped/);
  });
});
