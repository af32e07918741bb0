// The shop's traces, as a tracing tool gets them (an in-memory exporter in
// place of OTLP): six Pay clicks with the UI guard off are one `new` and five
// `replayed`, the five marked as caught by the idempotency key (with every
// layer off: six `new`, six charges, nothing caught); a crash after the charge
// resumed says `resumed` at its recovery point; a webhook delivered three
// times is applied once and caught twice by its dedupe (off: applied three
// times); the fulfillment job runs in the checkout's own trace, and its steps
// run again are skipped, caught by the recorded steps; Stripe calls carry
// their key's hash. With no SDK registered, nothing records and all works.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import Stripe from "stripe";
import { SimulatedCrash } from "@payonce/kit";
import { db } from "../lib/db/db.server";
import { ALL_OFF, ALL_ON, LAYERS, type Protections } from "../lib/demo/protections";
import { env } from "../lib/env.server";
import { flushCheckoutEvents } from "../lib/orders/checkout-events.server";
import { checkout, RecoveryPoint, type CheckoutRequest } from "../lib/orders/checkout.server";
import { stripe } from "../lib/payments/payments.server";
import { route } from "../lib/payments/traced-stripe-client.server";
import { receiveWebhook } from "../lib/webhooks/core.server";
import { stripeWebhooks } from "../lib/webhooks/stripe.server";
import { CATCHING_LAYERS } from "../lib/telemetry/spans.server";
import { fulfillmentJob } from "../lib/worker/fulfillment.server";
import { claimJob, runJob } from "../lib/worker/jobs.server";
import { demoSession } from "./demo-session";
import { expireLease, newCart, paymentTruth, stopAfter } from "./helpers";

async function request(protections: Protections = ALL_ON): Promise<CheckoutRequest> {
  const { session, policy } = await demoSession(protections);
  const cart = await newCart(session.id);
  return { session, policy, idempotencyKey: randomUUID(), input: { cartId: cart.id, email: "t@example.com", paymentMethod: "pm_card_visa" } };
}

/** One click: a request span around the checkout, as Next.js's own span is around a server action. */
const click = (req: CheckoutRequest) => trace.getTracer("test").startActiveSpan("POST /checkout", (span) => checkout(req).finally(() => span.end()));

const named = (spans: ReadableSpan[], name: string) => spans.filter((s) => s.name === name);
const attribute = (spans: ReadableSpan[], key: string) => spans.map((s) => s.attributes[key]);

it("a Stripe call's span is named for its route: ids out, resource names kept", () => {
  assert.deepEqual(
    ["/v1/payment_intents/pi_3NxAbc123/confirm", "/v1/setup_intents", "/v1/checkout/sessions/cs_test_a1B2c3", "/v1/test_helpers/x", "/v1/refunds?limit=3"].map(
      route,
    ),
    ["/v1/payment_intents/{id}/confirm", "/v1/setup_intents", "/v1/checkout/sessions/{id}", "/v1/test_helpers/x", "/v1/refunds"],
  );
});

it("a span names the layer that caught a duplicate by the id the lab shows it under", () => {
  const ids: string[] = LAYERS.map((l) => l.id);
  for (const layer of CATCHING_LAYERS) assert.ok(ids.includes(layer), layer);
});

describe("tracing off (no OpenTelemetry SDK)", () => {
  it("a checkout runs as ever, and stores no trace context with its attempt or its job", async () => {
    const req = await request();
    const result = await checkout(req);
    assert.equal(result.kind === "completed" && result.outcome.kind, "paid");
    const attempt = await db.attempt.findUniqueOrThrow({ where: { scope_key: { scope: req.session.id, key: req.idempotencyKey } } });
    assert.equal(attempt.traceParent, null);
    const order = await db.order.findFirstOrThrow({ where: { sessionId: req.session.id } });
    assert.equal((await db.job.findUniqueOrThrow({ where: { orderId: order.id } })).traceParent, null);
  });
});

describe("tracing on", () => {
  const exporter = new InMemorySpanExporter();
  before(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  });
  after(() => {
    trace.disable();
    propagation.disable();
    context.disable();
  });

  it("six clicks, UI guard off: one `new`, five `replayed` caught by the idempotency key, one charge", async () => {
    exporter.reset();
    const req = await request({ ...ALL_ON, uiGuard: false });
    for (let i = 0; i < 6; i++) await click(req);
    const spans = exporter.getFinishedSpans();
    assert.deepEqual(attribute(named(spans, "idempotency checkout"), "idempotency.outcome"), [
      "new",
      "replayed",
      "replayed",
      "replayed",
      "replayed",
      "replayed",
    ]);
    assert.deepEqual(attribute(named(spans, "POST /checkout"), "payonce.duplicate.caught_by"), [
      undefined,
      "idempotencyKey",
      "idempotencyKey",
      "idempotencyKey",
      "idempotencyKey",
      "idempotencyKey",
    ]);
    assert.equal((await paymentTruth(req.session.id)).succeededCharges, 1);
    // The ledger's timeline (its sequence diagram's source) and the spans are told the same steps, in the same order.
    await flushCheckoutEvents();
    const timeline = await db.checkoutEvent.findMany({ where: { sessionId: req.session.id }, orderBy: { id: "asc" } });
    const told = named(spans, "idempotency checkout").flatMap((s) => s.events.map((e) => e.name));
    assert.deepEqual(
      told,
      timeline.map((e) => `idempotency.${e.kind}`),
    );
    // One Stripe call (created and confirmed at once), in the first click's trace, with its derived key's hash, never the key.
    const calls = spans.filter((s) => s.name.startsWith("stripe POST"));
    assert.deepEqual(
      calls.map((s) => s.name),
      ["stripe POST /v1/payment_intents"],
    );
    const first = named(spans, "idempotency checkout")[0]!.spanContext().traceId;
    for (const call of calls) {
      assert.equal(call.spanContext().traceId, first);
      assert.match(String(call.attributes["stripe.idempotency_key_hash"]), /^[0-9a-f]{16}$/);
      assert.equal(call.attributes["stripe.idempotency_key_generation"], 0);
      assert.equal(call.attributes["stripe.idempotent_replayed"], false);
    }
  });

  it("six clicks with every layer off: six `new`, six charges, nothing caught (the duplicate the trace shows)", async () => {
    exporter.reset();
    const req = await request(ALL_OFF);
    for (let i = 0; i < 6; i++) await click(req);
    const spans = exporter.getFinishedSpans();
    assert.deepEqual(attribute(named(spans, "idempotency checkout"), "idempotency.outcome"), Array(6).fill("new"));
    assert.deepEqual(attribute(named(spans, "POST /checkout"), "payonce.duplicate.caught_by"), Array(6).fill(undefined));
    assert.equal((await paymentTruth(req.session.id)).succeededCharges, 6);
  });

  it("a crash after the charge, Pay again: `resumed` at order_created, linked to the crashed attempt; Stripe replays the charge", async () => {
    exporter.reset();
    const req = await request();
    await assert.rejects(click({ ...req, crashAfter: stopAfter("charge_sent") }), SimulatedCrash);
    await expireLease(req.session.id, req.idempotencyKey);
    await click(req);
    const spans = exporter.getFinishedSpans();
    const [crashed, resumed] = named(spans, "idempotency checkout");
    assert.equal(resumed!.attributes["idempotency.outcome"], "resumed");
    assert.equal(resumed!.attributes["idempotency.recovery_point"], RecoveryPoint.ORDER_CREATED);
    assert.equal(resumed!.links[0]?.context.spanId, crashed!.spanContext().spanId);
    // Stripe answered the resumed charge from its own record: the derived key caught the repeat.
    const replayed = spans.filter((s) => s.attributes["stripe.idempotent_replayed"] === true);
    assert.ok(replayed.length > 0);
    for (const call of replayed) assert.equal(call.attributes["payonce.duplicate.caught_by"], "stripeKey");
    assert.equal((await paymentTruth(req.session.id)).succeededCharges, 1);
  });

  for (const dedupe of [true, false]) {
    it(`one webhook delivered three times, dedupe ${dedupe ? "on: applied once, caught twice" : "off: applied three times"}`, async () => {
      const req = await request();
      const paid = await checkout(req);
      const paymentIntentId = paid.kind === "completed" && "order" in paid.outcome ? paid.outcome.order.paymentIntentId : assert.fail("not paid");
      const event = (await stripe().events.list({ type: "payment_intent.succeeded", limit: 100 })).data.find(
        (e) => (e.data.object as { id: string }).id === paymentIntentId,
      );
      const payload = JSON.stringify(event);
      const signature = new Stripe("sk_test_signer").webhooks.generateTestHeaderString({ payload, secret: env().stripe.webhookSecret });
      exporter.reset();
      for (let i = 0; i < 3; i++) await receiveWebhook(stripeWebhooks, payload, new Headers({ "stripe-signature": signature }), { dedupe });
      const deliveries = named(exporter.getFinishedSpans(), "webhook payment_intent.succeeded");
      assert.deepEqual(attribute(deliveries, "payonce.webhook.result"), dedupe ? ["applied", "duplicate", "duplicate"] : ["applied", "applied", "applied"]);
      assert.deepEqual(
        attribute(deliveries, "payonce.duplicate.caught_by"),
        dedupe ? [undefined, "webhookDedupe", "webhookDedupe"] : [undefined, undefined, undefined],
      );
    });
  }

  it("a webhook Stripe contradicts (a PaymentIntent it does not know) is `contradicted`, and never applied", async () => {
    const req = await request();
    const paid = await checkout(req);
    const orderId = paid.kind === "completed" && "order" in paid.outcome ? paid.outcome.order.id : assert.fail("not paid");
    const payload = JSON.stringify({
      id: `evt_${randomUUID()}`,
      object: "event",
      type: "payment_intent.succeeded",
      data: { object: { object: "payment_intent", id: "pi_nobody_made", status: "succeeded", amount: 1, currency: "usd", metadata: { order_id: orderId } } },
    });
    const signature = new Stripe("sk_test_signer").webhooks.generateTestHeaderString({ payload, secret: env().stripe.webhookSecret });
    exporter.reset();
    assert.equal((await receiveWebhook(stripeWebhooks, payload, new Headers({ "stripe-signature": signature }))).result, "contradicted");
    assert.deepEqual(attribute(named(exporter.getFinishedSpans(), "webhook payment_intent.succeeded"), "payonce.webhook.result"), ["contradicted"]);
  });

  it("the fulfillment job runs in the checkout's trace; run again, its recorded steps are skipped, caught by the job steps", async () => {
    exporter.reset();
    const req = await request();
    await click(req);
    const order = await db.order.findFirstOrThrow({ where: { sessionId: req.session.id } });
    const checkoutTrace = named(exporter.getFinishedSpans(), "POST /checkout")[0]!.spanContext().traceId;
    assert.equal((await db.job.findUniqueOrThrow({ where: { orderId: order.id } })).traceParent?.split("-")[1], checkoutTrace);

    // Only this order's job is runnable for this worker: the others are settled.
    await db.job.updateMany({ where: { orderId: { not: order.id }, state: { in: ["queued", "running"] } }, data: { state: "done" } });
    const job = (await claimJob("tracing-test"))!;
    assert.equal(await runJob(fulfillmentJob, job, "tracing-test"), "done");
    // The worker died before marking it done: its next run finds every step recorded.
    await db.job.update({ where: { id: job.id }, data: { state: "queued", leaseOwner: null, lockedUntil: null } });
    const again = (await claimJob("tracing-test"))!;
    assert.equal(await runJob(fulfillmentJob, again, "tracing-test"), "done");

    const spans = exporter.getFinishedSpans();
    const runs = named(spans, "job fulfillment");
    assert.equal(runs.length, 2);
    for (const run of runs) assert.equal(run.spanContext().traceId, checkoutTrace);
    const steps = spans.filter((s) => s.name.startsWith("job.step"));
    const stepNames = fulfillmentJob.steps.map((s) => s.name);
    assert.deepEqual(
      steps.map((s) => [s.attributes["payonce.job.step"], s.attributes["payonce.job.step_result"], s.attributes["payonce.duplicate.caught_by"]]),
      [...stepNames.map((n) => [n, "done", undefined]), ...stepNames.map((n) => [n, "skipped", "jobSteps"])],
    );
  });

  it("a job step that throws is `failed`, its error on the span", async () => {
    const req = await request();
    await checkout(req);
    const order = await db.order.findFirstOrThrow({ where: { sessionId: req.session.id } });
    await db.job.updateMany({ where: { orderId: { not: order.id }, state: { in: ["queued", "running"] } }, data: { state: "done" } });
    const failing = { ...fulfillmentJob, steps: [{ name: "boom", run: async () => Promise.reject(new Error("mail server on fire")) }] };
    exporter.reset();
    assert.equal(await runJob(failing, (await claimJob("tracing-test"))!, "tracing-test"), "retry");
    const [step] = named(exporter.getFinishedSpans(), "job.step boom");
    assert.equal(step?.attributes["payonce.job.step_result"], "failed");
    assert.equal(step?.status.message, "mail server on fire");
  });
});
