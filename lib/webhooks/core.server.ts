// Webhooks, provider-neutral: verify → record → apply.
//   verify: the adapter checks the signature on the raw body; a bad one is a
//           400 and nothing is written.
//   record: one row per (provider, event id) under a unique index; a
//           redelivery finds the row, counts itself, and changes nothing.
//   apply:  in one transaction with "processedAt = now where processedAt is
//           null", so of several concurrent deliveries exactly one applies the
//           event; if applying fails, the transaction rolls back, the answer is
//           a 500, and the provider's redelivery does the work.
// A second provider (Paystack, say) is one more adapter.
import { db, isUniqueViolation, type Tx } from "../db.server";

export type VerifiedEvent = { id: string; type: string; data: unknown };

export interface WebhookAdapter {
  provider: string;
  /** Throws WebhookSignatureError if the body was not signed by the provider. */
  verify(rawBody: string, headers: Headers): VerifiedEvent;
  /** Applies the event; throws RetryLater when it arrived before what it is about. */
  apply(tx: Tx, event: VerifiedEvent): Promise<void>;
}

export class WebhookSignatureError extends Error {}

/** The event is ahead of our own data (its order is not committed yet): redeliver later. */
export class RetryLater extends Error {}

export type WebhookOutcome =
  | { status: 200; result: "processed" | "duplicate" }
  | { status: 400; result: "rejected"; reason: string }
  | { status: 500; result: "failed"; reason: string };

export type WebhookOptions = {
  /** Demo switch: without the event-id dedupe every delivery is applied. */
  dedupe?: boolean;
};

// Rejected deliveries write nothing, so they are counted in this process only.
export const rejectedDeliveries = { count: 0 };

export async function receiveWebhook(adapter: WebhookAdapter, rawBody: string, headers: Headers, options: WebhookOptions = {}): Promise<WebhookOutcome> {
  let event: VerifiedEvent;
  try {
    event = adapter.verify(rawBody, headers);
  } catch (error) {
    if (!(error instanceof WebhookSignatureError)) throw error;
    rejectedDeliveries.count++;
    return { status: 400, result: "rejected", reason: error.message };
  }

  const key = { provider_eventId: { provider: adapter.provider, eventId: event.id } };
  try {
    await db.webhookEvent.create({ data: { provider: adapter.provider, eventId: event.id, type: event.type } });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    await db.webhookEvent.update({ where: key, data: { deliveries: { increment: 1 } } });
  }

  try {
    const applied = await db.$transaction(async (tx) => {
      const claimed = await tx.webhookEvent.updateMany({
        where: { provider: adapter.provider, eventId: event.id, ...(options.dedupe === false ? {} : { processedAt: null }) },
        data: { processedAt: new Date(), lastError: null },
      });
      if (claimed.count === 0) return false;
      await adapter.apply(tx, event);
      return true;
    });
    return { status: 200, result: applied ? "processed" : "duplicate" };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    await db.webhookEvent.update({ where: key, data: { lastError: reason } });
    return { status: 500, result: "failed", reason };
  }
}
