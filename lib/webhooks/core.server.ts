// Webhooks, provider-neutral: verify → record → read the facts → apply.
//   verify: the adapter checks the signature on the raw body, and that it is an
//           event at all; a bad one is a 400 and nothing is written.
//   record: one row per (provider, event id) under a unique index; a
//           redelivery finds the row, counts itself, and changes nothing.
//   facts:  an event is a notification, not a fact: the adapter reads the
//           object it is about from the provider's own API (outside any
//           transaction). What the provider contradicts is recorded as
//           rejected, with the reason, and never applied.
//   apply:  in one transaction with "processedAt = now where processedAt is
//           null", so of several concurrent deliveries exactly one applies the
//           event; if applying fails, the transaction rolls back, the answer is
//           a 500, and the provider's redelivery does the work.
// A second provider (Paystack, say) is one more adapter. A verified delivery
// is a span (with tracing on) saying what became of it.
import { db, isDatabaseUnavailable, type Tx } from "../db/db.server";
import { SpanStatusCode } from "@opentelemetry/api";
import { caughtBy, inSpan, SHOP_ATTRIBUTES } from "../telemetry/spans.server";
import type { PaidAgain } from "../policy";

/**
 * The largest delivery read: 1 MiB. Stripe's events are a few KiB (an object
 * and its previous attributes; lists inside are cut at 10 items), and Stripe
 * itself caps metadata at 50 keys of 500 characters, so this leaves
 * ample room and still stops a client streaming megabytes at the endpoint.
 */
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

export type VerifiedEvent = { id: string; type: string; data: unknown };

export interface WebhookAdapter<Facts = unknown> {
  provider: string;
  /** Throws WebhookSignatureError if the body was not signed by the provider, WebhookPayloadError if it is no event. */
  verify(rawBody: string, headers: Headers): VerifiedEvent;
  /** Reads what the event is about from the provider itself; throws EventContradicted if the provider disagrees. */
  facts(event: VerifiedEvent): Promise<Facts>;
  /** Applies the event from those facts; throws RetryLater when it arrived before what it is about, EventContradicted on a mismatch. */
  apply(tx: Tx, event: VerifiedEvent, facts: Facts, options: WebhookOptions): Promise<void>;
}

export class WebhookSignatureError extends Error {}

/** Signed, but not an event: nothing to record. */
export class WebhookPayloadError extends Error {}

/** The event is ahead of our own data (its order is not committed yet): redeliver later. */
export class RetryLater extends Error {}

/** The provider's own data contradicts the event (wrong order, amount, currency or state): never applied. */
export class EventContradicted extends Error {}

export type WebhookOutcome =
  | { status: 200; result: "processed" | "duplicate" }
  | { status: 200; result: "contradicted"; reason: string }
  | { status: 400; result: "rejected"; reason: string }
  | { status: 500; result: "failed"; reason: string };

/** The policy (lib/policy.ts) the endpoint's caller hands in; by default every layer on. */
export type WebhookOptions = {
  /** Each event applied once however often it is delivered, or (false) every delivery applied; may be decided per verified event. */
  dedupe?: boolean | ((event: VerifiedEvent) => Promise<boolean>);
  /** Told of a payment reported for an order paid already (Policy.onPaidAgain, for the order the event is about). */
  onPaidAgain?: PaidAgain;
};

// Rejected deliveries write nothing, so they are counted in this process only.
export const rejectedDeliveries = { count: 0 };

export async function receiveWebhook<Facts>(
  adapter: WebhookAdapter<Facts>,
  rawBody: string,
  headers: Headers,
  options: WebhookOptions = {},
): Promise<WebhookOutcome> {
  let event: VerifiedEvent;
  try {
    event = adapter.verify(rawBody, headers);
  } catch (error) {
    if (!(error instanceof WebhookSignatureError || error instanceof WebhookPayloadError)) throw error;
    rejectedDeliveries.count++;
    return { status: 400, result: "rejected", reason: error.message };
  }
  const attributes = { "payonce.webhook.provider": adapter.provider, "payonce.webhook.event_id": event.id, "payonce.webhook.event_type": event.type };
  return inSpan(`webhook ${event.type}`, attributes, async (span) => {
    span.setAttribute(SHOP_ATTRIBUTES.webhookResult, "verified");
    const outcome = await applyOnce(adapter, event, options);
    span.setAttribute(SHOP_ATTRIBUTES.webhookResult, outcome.result === "processed" ? "applied" : outcome.result);
    if (outcome.result === "duplicate") caughtBy("webhookDedupe", span);
    // A 500: the provider redelivers, and the span says why this one failed.
    if (outcome.result === "failed") span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.reason });
    return outcome;
  });
}

/** Record → read the facts → apply, for a verified event. */
async function applyOnce<Facts>(adapter: WebhookAdapter<Facts>, event: VerifiedEvent, options: WebhookOptions): Promise<WebhookOutcome> {
  const key = { provider_eventId: { provider: adapter.provider, eventId: event.id } };
  const dedupe = typeof options.dedupe === "function" ? await options.dedupe(event) : options.dedupe !== false;
  // Recorded, or its deliveries counted if it was before: one INSERT … ON CONFLICT DO UPDATE.
  const row = await db.webhookEvent.upsert({
    where: key,
    create: { provider: adapter.provider, eventId: event.id, type: event.type },
    update: { deliveries: { increment: 1 } },
  });
  // Already handled: no need to ask the provider again.
  if (dedupe && row.processedAt) return { status: 200, result: "duplicate" };

  try {
    const facts = await adapter.facts(event);
    const applied = await db.$transaction(async (tx) => {
      const claimed = await tx.webhookEvent.updateMany({
        where: { ...key.provider_eventId, ...(dedupe ? { processedAt: null } : {}) },
        data: { processedAt: new Date(), lastError: null },
      });
      if (claimed.count === 0) return false;
      await adapter.apply(tx, event, facts, options);
      return true;
    });
    return { status: 200, result: applied ? "processed" : "duplicate" };
  } catch (error) {
    if (isDatabaseUnavailable(error)) throw error; // the route's 503: redelivered later
    const reason = error instanceof Error ? error.message : String(error);
    if (error instanceof EventContradicted) {
      // Final: acknowledged so it is not redelivered, and shown on the ledger.
      await db.webhookEvent.updateMany({ where: { ...key.provider_eventId, processedAt: null }, data: { processedAt: new Date(), rejectedReason: reason } });
      return { status: 200, result: "contradicted", reason };
    }
    await db.webhookEvent.update({ where: key, data: { lastError: reason } });
    return { status: 500, result: "failed", reason };
  }
}
