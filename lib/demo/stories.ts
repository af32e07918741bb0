// The lab's failure stories (app/lab): each sets the layers and the payment
// provider's faults for one session and promises what the ledger will show
// after the clicks it asks for. The e2e suite holds every story to its
// promise (e2e/lab.spec.ts), so a promise here is a tested fact.
import type { FailureMode } from "@payonce/stripe-local/faults";
import type { CrashPoint } from "../orders/crash-points";
import { ALL_ON, type Protections } from "./protections";

/** What the local Stripe server is told before the story starts. */
export type StoryFaults = {
  /** Each Stripe call takes this long: long enough for every click to land while the first is paying. */
  latencyMs: number;
  /** The next `count` PaymentIntent creations fail this way. */
  createFails?: { mode: FailureMode; count: number };
  /** Each webhook delivered this many times in all, in shuffled order. */
  webhookCopies?: number;
  /** Each webhook delivered this late (ms). */
  webhookDelayMs?: number;
  /** Webhooks out of order (by default, whenever there are copies). */
  webhookShuffle?: boolean;
};

/** The ledger's figures for this session when the story is over (clicks: the retry after an error included). */
export type StoryPromise = { clicks: number; requests: number; orders: number; paymentIntents: number; charges: number };

export type Story = {
  id: string;
  title: string;
  protections: Protections;
  faults: StoryFaults;
  /** How often to click Pay (with the mug in the cart and the Visa card). */
  clicks: number;
  /** Then once more if the page says the payment service did not answer, as a person would. */
  payAgainIfUnanswered?: true;
  promise: StoryPromise;
  /** Which layer stopped the duplicates, or why none could. */
  caughtBy: string;
  /** The ledger's "caught by" counts this story promises, by layer. */
  caught?: Partial<Record<CaughtLayer, number>>;
};

/** The ledger's "caught by" rows. */
export type CaughtLayer = "uiGuard" | "idempotencyKey" | "businessUniqueness" | "stripeKey" | "webhookDedupe";

/** Every answer to the PaymentIntent's creation lost (the SDK's own two retries included), with webhooks late enough not to pay the order first. */
const LATE_ANSWERS_LOST: StoryFaults = { latencyMs: 0, createFails: { mode: "commit_then_drop", count: 3 }, webhookDelayMs: 30_000 };
const LATE_WEBHOOKS = "(Webhooks come 30 s late here; had one come first, it would have paid the order, and Pay again would have found it paid.)";

const off = (...layers: (keyof Protections)[]): Protections => ({ ...ALL_ON, ...Object.fromEntries(layers.map((l) => [l, false])) });

export const STORIES: Story[] = [
  {
    id: "protected",
    title: "Six clicks, every layer on",
    protections: ALL_ON,
    faults: { latencyMs: 1_000 },
    clicks: 6,
    promise: { clicks: 6, requests: 1, orders: 1, paymentIntents: 1, charges: 1 },
    caughtBy: "The UI guard: Pay locks on the first click, so five clicks never leave the browser.",
    caught: { uiGuard: 5, idempotencyKey: 0 },
  },
  {
    id: "ui-guard-off",
    title: "UI guard off",
    protections: off("uiGuard"),
    faults: { latencyMs: 1_000 },
    clicks: 6,
    promise: { clicks: 6, requests: 6, orders: 1, paymentIntents: 1, charges: 1 },
    caughtBy: "The idempotency key: all six requests carry the same key; five are told to wait and get the first one's result.",
    caught: { uiGuard: 0, idempotencyKey: 5 },
  },
  {
    id: "key-off",
    title: "UI guard and idempotency key off",
    protections: off("uiGuard", "idempotencyKey"),
    faults: { latencyMs: 1_000 },
    clicks: 6,
    promise: { clicks: 6, requests: 6, orders: 1, paymentIntents: 1, charges: 1 },
    caughtBy:
      "Business uniqueness and the derived Stripe key: every request runs again, but the cart has one order, and every charge of that order carries the key derived from it, so Stripe makes one PaymentIntent.",
    caught: { idempotencyKey: 0, businessUniqueness: 5 },
  },
  {
    id: "stripe-key-off",
    title: "UI guard, idempotency key and Stripe key off",
    protections: off("uiGuard", "idempotencyKey", "stripeKey"),
    faults: { latencyMs: 1_000 },
    clicks: 6,
    promise: { clicks: 6, requests: 6, orders: 1, paymentIntents: 6, charges: 6 },
    caughtBy:
      "Nothing: one order, six charges. All six requests join the cart's one order before the first has recorded its PaymentIntent, and without a derived key each call to Stripe is a new payment.",
    caught: { businessUniqueness: 5, stripeKey: 0 },
  },
  {
    id: "uniqueness-off",
    title: "UI guard, idempotency key and business uniqueness off",
    protections: off("uiGuard", "idempotencyKey", "businessUniqueness"),
    faults: { latencyMs: 1_000 },
    clicks: 6,
    promise: { clicks: 6, requests: 6, orders: 6, paymentIntents: 6, charges: 6 },
    caughtBy:
      "Nothing, though the Stripe key is on: each request makes a new order, and a key derived from a new order is a new key, so Stripe charges each one.",
    caught: { businessUniqueness: 0, stripeKey: 0 },
  },
  {
    id: "lost-response",
    title: "The lost response: Stripe charges, then the connection drops, three times",
    protections: ALL_ON,
    faults: LATE_ANSWERS_LOST,
    clicks: 1,
    payAgainIfUnanswered: true,
    promise: { clicks: 2, requests: 2, orders: 1, paymentIntents: 1, charges: 1 },
    caughtBy: `The derived Stripe key: the SDK tried three times and heard nothing, so the page asks to press Pay again. That Pay resumes the attempt and sends the same key, and Stripe answers with the charge it made the first time. ${LATE_WEBHOOKS}`,
    caught: { idempotencyKey: 0 },
  },
  {
    id: "lost-response-stripe-key-off",
    title: "The lost response, Stripe key off",
    protections: off("stripeKey"),
    faults: LATE_ANSWERS_LOST,
    clicks: 1,
    payAgainIfUnanswered: true,
    promise: { clicks: 2, requests: 2, orders: 1, paymentIntents: 2, charges: 2 },
    caughtBy: `Nothing: Pay again resumes the attempt at its recovery point, but the call to Stripe carries a new key, so Stripe makes a second payment for the one order. ${LATE_WEBHOOKS}`,
  },
  {
    id: "stored-500",
    title: "Stripe's stored 500: the charge is made, the answer is an error, and every retry gets the same error",
    protections: ALL_ON,
    faults: { latencyMs: 0, createFails: { mode: "500_stored_after_work", count: 1 }, webhookDelayMs: 30_000 },
    clicks: 1,
    payAgainIfUnanswered: true,
    promise: { clicks: 1, requests: 1, orders: 1, paymentIntents: 1, charges: 1 },
    caughtBy:
      "The checkout's adoption: a 500 under our key is replayed for 24 hours, so the checkout looks for a PaymentIntent carrying this order's id, finds the one Stripe made, and adopts it instead of charging again.",
  },
  {
    id: "stored-500-stripe-key-off",
    title: "Stripe's stored 500, Stripe key off",
    protections: off("stripeKey"),
    faults: { latencyMs: 0, createFails: { mode: "500_stored_after_work", count: 1 }, webhookDelayMs: 30_000 },
    clicks: 1,
    payAgainIfUnanswered: true,
    promise: { clicks: 2, requests: 2, orders: 1, paymentIntents: 2, charges: 2 },
    caughtBy: `Nothing: without our key the checkout cannot tell a 500 from a failure, so it says the payment service did not answer; Pay again makes a second payment. ${LATE_WEBHOOKS}`,
  },
  {
    id: "webhook-storm",
    title: "Every webhook delivered three times, shuffled",
    protections: ALL_ON,
    faults: { latencyMs: 0, webhookCopies: 3 },
    clicks: 1,
    promise: { clicks: 1, requests: 1, orders: 1, paymentIntents: 1, charges: 1 },
    caughtBy: "Webhook dedupe: each event id is recorded once; its copies are acknowledged and change nothing (see the webhook figures).",
  },
];

/** Where the lab can crash a checkout (lib/orders/crash-points.ts), as the lab says it. */
export const CRASH_POINT_LABELS: Record<CrashPoint, string> = {
  started: "after the key is claimed, before the order",
  order_created: "after the order, before Stripe is called",
  charge_sent: "after Stripe charged, before we record it",
  payment_created: "after the PaymentIntent is recorded, before the order is settled",
};

export const storyById = (id: string) => STORIES.find((s) => s.id === id);

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;

/** "6 clicks → 6 requests → 1 order → 1 PaymentIntent → 1 charge": the promise in a line. */
export function storyLine({ promise: p }: Story): string {
  return [
    count(p.clicks, "click"),
    count(p.requests, "request"),
    count(p.orders, "order"),
    count(p.paymentIntents, "PaymentIntent"),
    count(p.charges, "charge"),
  ].join(" → ");
}
