// The spans of an idempotent run, on every store, as a tracing tool would get
// them (an in-memory exporter): six requests with one key are one `new` and
// five `replayed` linked to it; a phase is a child span saying where it got
// to; a crash resumed says `resumed` at its recovery point; a mismatch, a
// wait, a retryable failure say so; the span's events are the timeline's
// events; the key never leaves, only its hash. With no SDK registered,
// nothing records and everything runs.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { context, trace, type Span } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { atomicPhase, runIdempotent, SimulatedCrash, type AttemptEvent, type IdempotentOperation } from "../src/run.ts";
import { keyHash } from "../src/telemetry.ts";
import type { AttemptStore } from "../src/store.ts";
import { LEASE_MS, STORES, withClock } from "./stores.ts";

type Outcome = { kind: "done" };
const outcome = { parse: (value: unknown) => value as Outcome };
const KEY = "a-key-the-export-never-holds";

/** A checkout-like operation: a local phase, a foreign call, a local phase; what its timeline was told. */
async function operation(store: AttemptStore<unknown>) {
  const config = withClock(store);
  const timeline: AttemptEvent[] = [];
  const scope = `scope-${randomUUID()}`;
  const op = (over: Partial<IdempotentOperation<Outcome, unknown>> = {}): IdempotentOperation<Outcome, unknown> => ({
    ...config,
    name: "checkout",
    scope,
    key: KEY,
    fingerprint: "f",
    outcome,
    timeline: { write: async (_tx, events) => void timeline.push(...events), note: (event) => void timeline.push(event) },
    phases: {
      started: (lease) => atomicPhase(lease, async () => ({ next: "charged", detail: "order made" })),
      charged: (lease) => atomicPhase(lease, async () => ({ next: "recorded" })),
      recorded: (lease) => atomicPhase(lease, async () => ({ finish: { kind: "done" } })),
    },
    ...over,
  });
  return { config, op, scope, timeline };
}

const runs = (spans: ReadableSpan[]) => spans.filter((s) => s.name === "idempotency checkout");
const outcomes = (spans: ReadableSpan[]) => runs(spans).map((s) => s.attributes["idempotency.outcome"]);

describe("with no OpenTelemetry SDK registered", () => {
  it("runs as ever, and no span records (nothing to export, no trace context stored)", async () => {
    const store = STORES[0]!;
    const { op } = await operation(await store.store());
    let active: Span | undefined;
    const result = await runIdempotent(op({ beforePhase: () => void (active = trace.getActiveSpan()) }));
    assert.equal(result.kind, "completed");
    assert.equal(active?.isRecording() ?? false, false);
    assert.equal((await runIdempotent(op())).kind, "completed");
  });
});

for (const { name, store: makeStore } of STORES) {
  describe(`spans (${name})`, () => {
    const exporter = new InMemorySpanExporter();
    before(() => {
      context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
      trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
    });
    after(() => {
      trace.disable();
      context.disable();
    });

    it("six requests with one key: one `new`, five `replayed`, each linked to the first, one attempt", async () => {
      exporter.reset();
      const { op } = await operation(await makeStore());
      for (let i = 0; i < 6; i++) assert.equal((await runIdempotent(op())).kind, "completed");
      const spans = runs(exporter.getFinishedSpans());
      assert.deepEqual(outcomes(spans), ["new", "replayed", "replayed", "replayed", "replayed", "replayed"]);
      const first = spans[0]!.spanContext();
      assert.equal(new Set(spans.map((s) => s.attributes["idempotency.attempt_id"])).size, 1);
      for (const replay of spans.slice(1))
        assert.deepEqual(
          replay.links.map((l) => [l.context.traceId, l.context.spanId]),
          [[first.traceId, first.spanId]],
        );
    });

    it("a phase is a child span saying where it started and where it got to; the key leaves only as its hash", async () => {
      exporter.reset();
      const { op, scope } = await operation(await makeStore());
      await runIdempotent(op());
      const spans = exporter.getFinishedSpans();
      const [run] = runs(spans);
      const phases = spans.filter((s) => s.name.startsWith("idempotency.phase"));
      assert.deepEqual(
        phases.map((s) => [s.name, s.attributes["idempotency.recovery_point"], s.attributes["idempotency.recovery_point.reached"]]),
        [
          ["idempotency.phase started", "started", "charged"],
          ["idempotency.phase charged", "charged", "recorded"],
          ["idempotency.phase recorded", "recorded", "finished"],
        ],
      );
      for (const phase of phases) assert.equal(phase.parentSpanContext?.spanId, run!.spanContext().spanId);
      assert.equal(run!.attributes["idempotency.key_hash"], keyHash(scope, KEY));
      assert.equal(run!.attributes["idempotency.operation"], "checkout");
      assert.equal(typeof run!.attributes["idempotency.lease_owner"], "string");
      const exported = JSON.stringify(spans.map((s) => [s.attributes, s.events, s.links]));
      assert.ok(!exported.includes(KEY), "the raw key is exported");
    });

    it("an error that quotes the key leaves it out of the export: its hash stands there instead", async () => {
      exporter.reset();
      const { op, scope } = await operation(await makeStore());
      const failing = op({
        phases: {
          started: async () => {
            throw new Error(`the key ${KEY} broke`);
          },
        },
      });
      await assert.rejects(runIdempotent(failing), /a-key-the-export-never-holds broke/, "the app still gets the error as it was");
      const spans = exporter.getFinishedSpans();
      const exported = JSON.stringify(spans.map((s) => [s.status, s.events, s.attributes]));
      assert.ok(!exported.includes(KEY), exported);
      assert.equal(runs(spans)[0]!.status.message, `the key [key ${keyHash(scope, KEY)}] broke`);
    });

    it("the span's events are the steps the timeline was told, in order", async () => {
      exporter.reset();
      const { op, timeline } = await operation(await makeStore());
      await runIdempotent(op());
      await runIdempotent(op());
      const events = exporter.getFinishedSpans().flatMap((s) => s.events.map((e) => e.name));
      assert.deepEqual(
        events,
        timeline.map((e) => `idempotency.${e.kind}`),
      );
      assert.deepEqual(events, ["idempotency.received", "idempotency.charged", "idempotency.recorded", "idempotency.finished", "idempotency.replayed"]);
    });

    it("a crash after the charge, resumed once the lease ran out: `resumed` at `charged`, and only the phases after it run", async () => {
      exporter.reset();
      const { config, op } = await operation(await makeStore());
      const crash = op({
        beforePhase: (point) => {
          if (point === "charged") throw new SimulatedCrash(point);
        },
      });
      await assert.rejects(runIdempotent(crash), SimulatedCrash);
      assert.equal((await runIdempotent(op())).kind, "in_progress");
      config.later(LEASE_MS + 1);
      assert.equal((await runIdempotent(op())).kind, "completed");
      const spans = exporter.getFinishedSpans();
      const [crashed, waiting, resumed] = runs(spans);
      assert.equal(crashed!.status.code, 2, "the crashed request's span is an error");
      assert.deepEqual(
        [waiting, resumed].map((s) => [s!.attributes["idempotency.outcome"], s!.attributes["idempotency.recovery_point"]]),
        [
          ["in_progress", "charged"],
          ["resumed", "charged"],
        ],
      );
      assert.notEqual(resumed!.attributes["idempotency.lease_owner"], crashed!.attributes["idempotency.lease_owner"]);
      assert.deepEqual(
        spans.filter((s) => s.parentSpanContext?.spanId === resumed!.spanContext().spanId).map((s) => s.name),
        ["idempotency.phase charged", "idempotency.phase recorded"],
      );
      assert.equal(resumed!.links[0]?.context.spanId, crashed!.spanContext().spanId);
    });

    it("a key sent with another request: `mismatch`; a foreign call down: `retryable`", async () => {
      exporter.reset();
      const { op } = await operation(await makeStore());
      const down = new Error("Stripe is down");
      const failing = op({
        retryable: (error) => error === down,
        phases: {
          started: (lease) => atomicPhase(lease, async () => ({ next: "charged" })),
          charged: async () => {
            throw down;
          },
        },
      });
      assert.equal((await runIdempotent(failing)).kind, "retryable");
      assert.equal((await runIdempotent(op({ fingerprint: "another" }))).kind, "mismatch");
      assert.deepEqual(outcomes(exporter.getFinishedSpans()), ["retryable", "mismatch"]);
    });
  });
}
