import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, it } from "node:test";
import { checkoutResponse, idempotentPost } from "../lib/api/api-http.server";
import { createOrderSchema } from "../lib/api/api-schema";
import { createApiSession } from "../lib/api/api-session.server";
import { checkout, RecoveryPoint } from "../lib/orders/checkout.server";
import { RefusedInput, SimulatedCrash } from "@payonce/kit";
import { db } from "../lib/db/db.server";
import { completeAbandoned, reapExpired, reapFinishedJobs, reapWebhookEvents } from "../lib/worker/maintenance.server";
import { assertChargedOnce, expireLease, newCart, newSession, stopAfter } from "./helpers";

describe("maintenance", () => {
  for (const point of [RecoveryPoint.ORDER_CREATED, RecoveryPoint.PAYMENT_CREATED] as const) {
    it(`the completer finishes an attempt abandoned at ${point}, with no retry from the client`, async () => {
      const session = await newSession();
      const cart = await newCart(session.id);
      const req = { session, idempotencyKey: randomUUID(), input: { cartId: cart.id, email: "c@example.com", paymentMethod: "pm_card_visa" as const } };
      await assert.rejects(checkout({ ...req, crashAfter: stopAfter(point) }), SimulatedCrash);
      // Still leased: the completer leaves a live attempt alone.
      await completeAbandoned();
      const record = await db.attempt.findUniqueOrThrow({ where: { scope_key: { scope: session.id, key: req.idempotencyKey } } });
      assert.equal(record.recoveryPoint, point);

      await expireLease(session.id, req.idempotencyKey);
      const { completed } = await completeAbandoned();
      assert.ok(completed >= 1);
      await assertChargedOnce(session.id);
      // And the client, coming back, gets the stored result.
      const later = await checkout(req);
      assert.equal(later.kind === "completed" && later.replayed && later.outcome.kind, "paid");
    });
  }

  it("the reaper deletes records past their retention, and only those", async () => {
    const session = await newSession();
    const cart = await newCart(session.id);
    const key = randomUUID();
    await checkout({ session, idempotencyKey: key, input: { cartId: cart.id, email: "r@example.com", paymentMethod: "pm_card_visa" } });
    const where = { scope_key: { scope: session.id, key } };
    await reapExpired();
    assert.ok(await db.attempt.findUnique({ where }));
    await db.attempt.update({ where, data: { expiresAt: new Date(Date.now() - 1000) } });
    assert.ok((await reapExpired()) >= 1);
    assert.equal(await db.attempt.findUnique({ where }), null);
  });

  it("the reapers of webhook events and finished jobs delete what is past their retention, in bounded batches, and only that", async () => {
    const day = 86_400_000;
    const [old, recent] = [new Date(Date.now() - 10 * day), new Date()];
    const events = ["old-1", "old-2", "old-3", "recent"].map((name) => ({ provider: "test", eventId: `${randomUUID()}-${name}`, type: "t" }));
    for (const [i, event] of events.entries()) await db.webhookEvent.create({ data: { ...event, receivedAt: i < 3 ? old : recent } });
    const jobs = ["done-old-1", "done-old-2", "dead-old", "done-recent"].map((name) => ({ kind: "test", orderId: `${randomUUID()}-${name}` }));
    for (const job of jobs) {
      const [state, finishedAt] = job.orderId.includes("dead")
        ? (["dead", old] as const)
        : job.orderId.endsWith("recent")
          ? (["done", recent] as const)
          : (["done", old] as const);
      await db.job.create({ data: { ...job, state, finishedAt, steps: { create: [{ name: "s" }] } } });
    }
    const cutoff = new Date(Date.now() - 7 * day);
    assert.equal(await reapWebhookEvents(cutoff, { batch: 2, maxBatches: 1 }), 2, "one batch of two, no more");
    await reapWebhookEvents(cutoff, { batch: 2 });
    assert.deepEqual(
      (await db.webhookEvent.findMany({ where: { provider: "test", eventId: { in: events.map((e) => e.eventId) } } })).map((e) => e.eventId),
      [events[3]!.eventId],
    );
    await reapFinishedJobs(cutoff, { batch: 1 });
    const left = await db.job.findMany({ where: { orderId: { in: jobs.map((j) => j.orderId) } }, orderBy: { id: "asc" } });
    assert.deepEqual(
      left.map((j) => j.orderId),
      [jobs[2]!.orderId, jobs[3]!.orderId],
      "the dead job and the recent one stay",
    );
    assert.equal(
      await db.jobStep.count({ where: { jobId: { notIn: (await db.job.findMany({ select: { id: true } })).map((j) => j.id) } } }),
      0,
      "steps went with their jobs",
    );
  });

  // The session reaper may delete an expired session with nothing to keep between a checkout's
  // read of it and its attempt's insert: the insert then met the foreign key (a 500).
  it("a checkout whose session the reaper deleted meanwhile is told its session ended (API: 401), and nothing is written", async () => {
    const session = await newSession();
    const cart = await newCart(session.id);
    // The browser's checkout, with the session read before the reaper took it: a message to act on.
    await db.session.delete({ where: { id: session.id } });
    const input = { cartId: cart.id, email: "gone@example.com", paymentMethod: "pm_card_visa" as const };
    await assert.rejects(
      checkout({ session, idempotencyKey: randomUUID(), input }),
      (error) => error instanceof RefusedInput && /session/i.test(error.message),
    );

    // The API: the token was a session when the request came in, and was deleted before the attempt's insert.
    const api = await createApiSession();
    const post = idempotentPost(createOrderSchema, async ({ scope, key, body }) => {
      await db.session.delete({ where: { id: scope.id } });
      return checkoutResponse(await checkout({ session: scope, idempotencyKey: key, input: body }));
    });
    const response = await post(
      new Request("http://shop.test/api/orders", {
        method: "POST",
        headers: { Authorization: `Bearer ${api}`, "Idempotency-Key": randomUUID(), "Content-Type": "application/json" },
        body: JSON.stringify({ email: "gone@example.com", items: [{ slug: "mug", quantity: 1 }], paymentMethod: "pm_card_visa" }),
      }),
    );
    assert.equal(response.status, 401);
    assert.equal(response.headers.get("content-type"), "application/problem+json");
    assert.equal(await db.attempt.count({ where: { scope: { in: [session.id, api] } } }), 0);
    assert.equal(await db.order.count({ where: { sessionId: { in: [session.id, api] } } }), 0);
  });
});
