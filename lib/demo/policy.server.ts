// What each protection layer does when the demo switches it off: the policies
// (lib/policy.ts) the demo builds from a session's stored switches, which
// app/ and scripts/ hand in to the operations. The only place the shop acts
// on a demo switch. Copying the pattern into a shop? Leave lib/demo/ behind:
// the operations run with every layer on when no policy is handed in.
import "server-only";
import { randomUUID } from "node:crypto";
import { db, type Tx } from "../db/db.server";
import { env } from "../env.server";
import { PROTECTED, type PaidAgain, type Policy, type StepPolicy } from "../policy";
import type { VerifiedEvent } from "../webhooks/core.server";
import type { Protections } from "./protections";
import { effectiveProtections, sessionProtections } from "./protections.server";

/** Off: salted, so that it repeats. */
const salted = (key: string) => `${key}:${randomUUID()}`;

/**
 * Layer 3 off: every report of a success (the return page, a reload of it, a
 * webhook) pays the order again, as a shop that marks orders paid without
 * checking where they stand does: its fulfillment runs again.
 */
const payAgain: PaidAgain = async (tx, orderId) => {
  await tx.jobStep.deleteMany({ where: { job: { orderId } } });
  await tx.job.updateMany({ where: { orderId }, data: { state: "queued", runAfter: new Date(), attempts: 0, leaseOwner: null, lockedUntil: null } });
};

/** A session's switches as the policy its operations run under. */
export function policyOf(p: Protections): Policy {
  return {
    // Layer 2 off: no key, so no record: every retry runs again from the start.
    attemptKey: (key) => (p.idempotencyKey ? key : null),
    // Layer 3 off: business keys salted (a second order per cart, a second review), no limits kept, an order paid again.
    uniqueKey: (key) => (p.businessUniqueness ? key : salted(key)),
    businessUniqueness: p.businessUniqueness,
    ...(!p.businessUniqueness && { onPaidAgain: payAgain }),
    // Layer 4 off: the SDK mints a key per call.
    derivesStripeKeys: p.stripeKey,
  };
}

/** The policy of this session's operations: its switches where demo tools exist, every layer on everywhere else. */
export async function sessionPolicy(sessionId: string): Promise<Policy> {
  return env().demoTools ? policyOf(await sessionProtections(sessionId)) : PROTECTED;
}

/** The switches of the session an order belongs to (read in `tx` when there is one). */
async function orderProtections(orderId: string, client: Tx = db): Promise<Protections> {
  const order = await client.order.findUnique({ where: { id: orderId }, select: { session: { select: { protections: true } } } });
  return effectiveProtections(order?.session.protections);
}

/** For a report that comes from no request of the order's session (the return page, a webhook, the worker): its session's layer 3. */
export const paidAgainInOrderSession: PaidAgain = async (tx, orderId) => {
  if (!(await orderProtections(orderId, tx)).businessUniqueness) await payAgain(tx, orderId);
};

/** Job steps: recorded and keyed, or (off, in the session of the job's order) not recorded, with salted effect keys, so that a repeated step repeats its effect. */
export async function jobStepPolicy(orderId: string): Promise<StepPolicy> {
  const { jobSteps } = await orderProtections(orderId);
  return { recordsSteps: jobSteps, effectKey: (key) => (jobSteps ? key : salted(key)) };
}

/** Webhook dedupe: each event applied once, or (off, in the session of the order the event names) every delivery applied again. */
export async function dedupesWebhook(event: VerifiedEvent): Promise<boolean> {
  const orderId = (event.data as { metadata?: { order_id?: unknown } }).metadata?.order_id;
  if (typeof orderId !== "string") return true;
  return (await orderProtections(orderId)).webhookDedupe;
}
