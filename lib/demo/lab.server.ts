// The lab's server side (app/lab), local mode only: the local Stripe server's
// faults, switched through its control API, and a reset that starts a story
// from zero. Nothing a shop copies needs any of it.
import "server-only";
import { db } from "../db/db.server";
import { env } from "../env.server";
import type { FaultsRequest, FaultsSnapshot } from "@payonce/stripe-local/faults";
import { saveProtections } from "./protections.server";
import type { Story, StoryFaults } from "./stories";

/** The call every story's payment makes: a failure armed for it hits the checkout. */
const CREATE_PAYMENT_INTENT = "/v1/payment_intents";

export class LocalStripeUnreachable extends Error {}

async function control<T>(path: string, body?: unknown): Promise<T> {
  const { host, port } = env().stripe.local;
  const response = await fetch(`http://${host}:${port}/_control/${path}`, {
    cache: "no-store",
    ...(body !== undefined && { method: "POST", body: JSON.stringify(body) }),
  }).catch(() => null);
  if (!response?.ok) throw new LocalStripeUnreachable(`The local Stripe server (port ${port}) did not answer. Is \`npm run dev\` running?`);
  return (await response.json()) as T;
}

export const providerFaults = () => control<FaultsSnapshot>("faults");

const setFaultsSnapshot = (request: FaultsRequest) => control<FaultsSnapshot>("faults", request);

/** Faults as the lab describes them (a story's, or the form's), replacing whatever was switched before. */
export function setLabFaults(faults: StoryFaults): Promise<FaultsSnapshot> {
  const copies = faults.webhookCopies ?? 1;
  return setFaultsSnapshot({
    clearFailures: true,
    latencyMs: faults.latencyMs,
    webhooks: { duplicates: copies - 1, delayMs: faults.webhookDelayMs ?? 0, shuffle: faults.webhookShuffle ?? copies > 1 },
    ...(faults.createFails && { fail: { method: "POST", path: CREATE_PAYMENT_INTENT, ...faults.createFails } }),
  });
}

/** Sets a story up for this session: from zero, with its layers and its faults. */
export async function startStory(sessionId: string, story: Story): Promise<void> {
  await resetLab(sessionId);
  await saveProtections(sessionId, story.protections);
  await setLabFaults(story.faults);
}

/**
 * Clears this session's history (orders, attempts, carts, their effects,
 * the units they hold or sold go back to stock), the local Stripe server's
 * account, faults and deliveries, and our record of those deliveries: the
 * ledger starts from zero, and no crash is armed. The session keeps its id and its layers.
 */
export async function resetLab(sessionId: string): Promise<void> {
  await control("reset", {});
  await db.$transaction(async (tx) => {
    const orders = await tx.order.findMany({ where: { sessionId }, select: { id: true, stockReleasedAt: true, items: true } });
    const orderId = { in: orders.map((o) => o.id) };
    for (const item of orders.filter((o) => !o.stockReleasedAt).flatMap((o) => o.items)) {
      await tx.product.update({ where: { id: item.productId }, data: { stock: { increment: item.quantity } } });
    }
    for (const grant of await tx.pointsGrant.findMany({ where: { orderId } })) {
      await tx.loyaltyAccount.updateMany({ where: { email: grant.email }, data: { points: { decrement: grant.points } } });
    }
    await tx.pointsGrant.deleteMany({ where: { orderId } });
    await tx.shipment.deleteMany({ where: { orderId } });
    await tx.outboxEmail.deleteMany({ where: { OR: [{ orderId }, { sessionId }] } });
    await tx.job.deleteMany({ where: { orderId } });
    await tx.checkoutEvent.deleteMany({ where: { sessionId } });
    await tx.attempt.deleteMany({ where: { scope: sessionId } });
    await tx.order.deleteMany({ where: { sessionId } });
    await tx.cart.deleteMany({ where: { sessionId } });
    await tx.session.updateMany({ where: { id: sessionId }, data: { crashAfter: null } });
    // The local Stripe server forgot its events: so do we (local mode has one shopper: you).
    await tx.webhookEvent.deleteMany({});
  });
}

/** A webhook delivery as the local Stripe server logged it: what it sent, when, and what our endpoint answered. */
export type WebhookDelivery = { objectId: string | null; type: string; at: Date; status: number | null; result: string | null };

type ControlLedger = {
  counters: { replays: number } | null;
  events?: { type: string; objectId: string | null; deliveries: { attempts: { at: string; status: number | null; body?: string }[] }[] }[];
};

/**
 * What the local Stripe server saw of us: how often it answered one of our
 * calls from its idempotency store (our derived keys, or the SDK's own
 * retries), and every webhook delivery with the answer our endpoint gave.
 */
export async function paymentSideLog(): Promise<{ replays: number; deliveries: WebhookDelivery[] }> {
  const ledger = await control<ControlLedger>(`ledger?account=${encodeURIComponent(env().stripe.secretKey)}`);
  const deliveries = (ledger.events ?? []).flatMap((event) =>
    event.deliveries.flatMap((delivery) =>
      delivery.attempts.map((attempt) => ({
        objectId: event.objectId,
        type: event.type,
        at: new Date(attempt.at),
        status: attempt.status,
        result: resultOf(attempt.body),
      })),
    ),
  );
  return { replays: ledger.counters?.replays ?? 0, deliveries };
}

/** Our endpoint's answer says what it did with the event ("processed", "duplicate", …). */
function resultOf(body: string | undefined): string | null {
  try {
    return (JSON.parse(body ?? "") as { result?: string }).result ?? null;
  } catch {
    return null;
  }
}
