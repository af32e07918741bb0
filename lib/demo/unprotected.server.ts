// What each protection layer does when the demo switches it off, and the
// crash hook of the crash tests: the only places lib/ acts on a demo switch.
// Copying the pattern into a shop? Leave lib/demo/ behind and keep the
// protected branch of each function (the first one).
import "server-only";
import { randomUUID } from "node:crypto";
import { db, type Tx } from "../db.server";
import { env } from "../env.server";
import { SimulatedCrash } from "@payonce/kit";
import { SessionEndedError } from "../attempts.server";
import type { Protections } from "./protections";
import { effectiveProtections } from "./protections.server";
import type { VerifiedEvent } from "../webhooks/core.server";

/** Layer 2: the client's key, or (off) none: no record, so every retry runs again from the start. */
export const attemptKeyFor = (p: Protections, key: string) => (p.idempotencyKey ? key : null);

/** Layer 3: a business key under a unique index (one order per cart, one review per product and order), or (off) salted, so it repeats. */
export const uniqueKeyFor = (p: Protections, key: string) => (p.businessUniqueness ? key : `${key}:${randomUUID()}`);

/** Layer 3: one order per cart, stock never below zero and refunds never above the payment, or (off) none of these. */
export const businessUniqueness = (p: Protections) => p.businessUniqueness;

/**
 * Layer 3: an order is paid once, whoever reports the payment, or (off) every
 * report of a success (the return page, a reload of it, a webhook) pays it
 * again, as a shop that marks orders paid without checking where they stand
 * does: its fulfillment runs again.
 */
export async function paidAgain(tx: Tx, orderId: string, p: Protections) {
  if (p.businessUniqueness) return;
  await tx.jobStep.deleteMany({ where: { job: { orderId } } });
  await tx.job.updateMany({ where: { orderId }, data: { state: "queued", runAfter: new Date(), attempts: 0, lockedBy: null, lockedUntil: null } });
}

/** Webhook dedupe: each event applied once, or (off, in the session of the order the event names) every delivery applied again. */
export async function dedupesWebhook(event: VerifiedEvent): Promise<boolean> {
  const orderId = (event.data as { metadata?: { order_id?: unknown } }).metadata?.order_id;
  if (typeof orderId !== "string") return true;
  const order = await db.order.findUnique({ where: { id: orderId }, select: { session: { select: { protections: true } } } });
  return effectiveProtections(order?.session.protections).webhookDedupe;
}

/** Layer 4: Stripe calls carry our derived keys, or (off) the SDK mints one per call. */
export const derivesStripeKeys = (p: Protections) => p.stripeKey;

/** Job steps: an effect keyed by what it is for, or (off) salted, so that a repeated step repeats it. */
export const effectKeyFor = (protectedSteps: boolean, key: string) => (protectedSteps ? key : `${key}:${randomUUID()}`);

/**
 * Dies as `kill -9` would: no cleanup, no answer, the lease kept. Under
 * `npm run dev` the whole `next dev` process group goes (its server alone
 * dying would leave `next dev` up and deaf), and scripts/dev-server.ts starts
 * it again, so the story goes on.
 */
function die(): never {
  process.kill(env().devSupervised ? 0 : process.pid, "SIGKILL");
  throw new Error("unreachable");
}

/**
 * Crash tests: right after `point` the process dies (PAYONCE_CRASH_AFTER, or
 * the lab's crash armed for this request: `dieAfter`), or a unit test's run
 * stops as if it had (`crashAfter`: the lease stays held, nothing is cleaned up).
 */
export function crashPoint(point: string, request: { crashAfter?: string; dieAfter?: string }) {
  if (env().crashAfter === point || request.dieAfter === point) die();
  if (request.crashAfter === point) throw new SimulatedCrash(point);
}

/** The lab: arms (or with null disarms) a crash of this session's next checkout at `point`. */
export async function armCrash(sessionId: string, point: string | null) {
  // requireSession stored the row; the reaper may have deleted it since.
  const { count } = await db.session.updateMany({ where: { id: sessionId }, data: { crashAfter: point } });
  if (count === 0) throw new SessionEndedError();
}

/** The crash armed for this session, if any (shown in the lab). */
export async function armedCrash(sessionId: string | null): Promise<string | null> {
  if (!sessionId) return null;
  return (await db.session.findUnique({ where: { id: sessionId }, select: { crashAfter: true } }))?.crashAfter ?? null;
}

/** The crash armed for this session, taken by the one request that will die of it (so its retry does not). */
export async function takeArmedCrash(sessionId: string): Promise<string | undefined> {
  if (!env().demoTools) return undefined;
  const point = await armedCrash(sessionId);
  if (!point) return undefined;
  const { count } = await db.session.updateMany({ where: { id: sessionId, crashAfter: point }, data: { crashAfter: null } });
  return count === 1 ? point : undefined;
}

/** Crash tests of jobs: the worker dies right after finishing this step (PAYONCE_JOB_CRASH_AFTER_STEP). */
export function crashAfterJobStep(step: string) {
  if (env().jobs.crashAfterStep === step) die();
}
