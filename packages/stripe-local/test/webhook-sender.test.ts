// The local Stripe server's webhook sender must end every try, whatever the
// HTTP client does: a try that never ends is a delivery never retried, and an
// event the shop never hears (chaos seed 2112239493 left nine such deliveries
// "trying" for twenty minutes, each under a 10 s abort signal).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { Faults } from "../src/faults.ts";
import type { Event } from "../src/events.ts";
import { withTraceParent } from "../src/trace-context.ts";
import { WebhookSender } from "../src/webhooks.ts";

const event = {
  id: "evt_chaos",
  object: "event",
  type: "payment_intent.succeeded",
  api_version: "2026-10-28.endive",
  created: 0,
  data: { object: { id: "pi_chaos", object: "payment_intent" } },
  livemode: false,
  pending_webhooks: 0,
  request: { id: null, idempotency_key: null },
} as unknown as Event;

describe("local Stripe: the webhook sender", () => {
  it("chaos seed 2112239493: a try whose fetch never settles ends at its deadline, and the delivery is tried again", { timeout: 10_000 }, async (t) => {
    let calls = 0;
    // The first try meets the hang the campaign saw; the next one an app that answers.
    t.mock.method(globalThis, "fetch", () => (++calls === 1 ? new Promise(() => {}) : Promise.resolve(Response.json({ status: 200 }))));
    const sender = new WebhookSender(new Faults(), { tryTimeoutMs: 200 });
    sender.endpoints = [{ url: "http://127.0.0.1:9/api/webhooks/stripe", secret: "whsec_test" }];
    sender.send(event);
    const [delivery] = sender.deliveries;
    while (!delivery!.delivered) await sleep(50);
    assert.equal(delivery!.attempts.length, 2);
    assert.match(delivery!.attempts[0]!.error ?? "", /no answer within 0\.2 s/);
    assert.equal(delivery!.attempts[1]!.status, 200);
    assert.equal(delivery!.trying, undefined);
  });

  it("hands on the trace context (traceparent) of the API request that caused the event, and nothing that is not one", async (t) => {
    const sent: (string | undefined)[] = [];
    t.mock.method(globalThis, "fetch", (_url: string, init: RequestInit) => {
      sent.push((init.headers as Record<string, string>).traceparent);
      return Promise.resolve(Response.json({ status: 200 }));
    });
    const sender = new WebhookSender(new Faults(), { tryTimeoutMs: 1_000 });
    sender.endpoints = [{ url: "http://127.0.0.1:9/api/webhooks/stripe", secret: "whsec_test" }];
    const traceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    withTraceParent(traceParent, () => sender.send(event));
    withTraceParent("00-not-a-trace", () => sender.send(event));
    sender.send(event);
    while (!sender.deliveries.every((d) => d.delivered)) await sleep(20);
    assert.deepEqual(sent, [traceParent, undefined, undefined]);
  });
});
