// The figures behind /ledger: what our database says happened, next to what
// the payment side says it charged. They must agree: one order, one charge.
// The payment side is read in local mode only (the local Stripe server, one
// request); with real Stripe the ledger is the admin's (proxy.ts) and shows our
// own records only, with no Stripe call: the Dashboard has Stripe's side.
import "server-only";
import { flushCheckoutEvents } from "../orders/checkout-events.server";
import { JOINED_ORDER, RecoveryPoint } from "../orders/checkout.server";
import { db } from "../db/db.server";
import { env } from "../env.server";
import { paymentSideLedger, type PaymentSideIntent } from "../payments/payments.server";
import { rejectedDeliveries } from "../webhooks/core.server";

export type LedgerFigures = {
  requests: number;
  replays: number;
  waits: number;
  resumed: number;
  /** Second checkouts of one cart that joined its order (layer 3). */
  joined: number;
  orders: number;
  paidOrders: number;
  /** Payment side: null when it was not read (real Stripe) or did not answer. */
  paymentIntents: number | null;
  charges: number | null;
  failedCharges: number | null;
};

async function eventCounts(sessionId?: string) {
  const where = sessionId ? { sessionId } : {};
  const [rows, joined] = await Promise.all([
    db.checkoutEvent.groupBy({ by: ["kind"], where, _count: { _all: true } }),
    db.checkoutEvent.count({ where: { ...where, kind: RecoveryPoint.ORDER_CREATED, detail: JOINED_ORDER } }),
  ]);
  const count = (kind: string) => rows.find((r) => r.kind === kind)?._count._all ?? 0;
  return {
    requests: count("received") + count("replayed") + count("in_progress") + count("resumed"),
    replays: count("replayed"),
    waits: count("in_progress"),
    resumed: count("resumed"),
    joined,
  };
}

function figures(events: Awaited<ReturnType<typeof eventCounts>>, orders: { status: string }[], intents: PaymentSideIntent[] | null): LedgerFigures {
  const charges = intents?.flatMap((pi) => pi.charges);
  return {
    ...events,
    orders: orders.length,
    paidOrders: orders.filter((o) => o.status === "paid").length,
    paymentIntents: intents?.length ?? null,
    charges: charges?.filter((c) => c.status === "succeeded").length ?? null,
    failedCharges: charges?.filter((c) => c.status === "failed").length ?? null,
  };
}

/** "read", or why the payment side's figures are missing. */
export type PaymentSideRead = "read" | "unreachable" | "not-read";

async function readPaymentSide(): Promise<PaymentSideIntent[] | PaymentSideRead> {
  if (env().stripe.mode !== "local") return "not-read";
  return paymentSideLedger().catch((error: unknown) => {
    console.error("payment side unreachable", error);
    return "unreachable" as const;
  });
}

/** Webhook deliveries, all providers: events are not tied to one session. */
async function webhookFigures() {
  const [events, processed, totals, contradicted] = await Promise.all([
    db.webhookEvent.count(),
    db.webhookEvent.count({ where: { processedAt: { not: null } } }),
    db.webhookEvent.aggregate({ _sum: { deliveries: true } }),
    db.webhookEvent.findMany({
      where: { rejectedReason: { not: null } },
      orderBy: { receivedAt: "desc" },
      select: { eventId: true, type: true, rejectedReason: true },
    }),
  ]);
  const delivered = totals._sum.deliveries ?? 0;
  return {
    received: delivered + rejectedDeliveries.count,
    accepted: processed - contradicted.length,
    duplicate: delivered - events,
    rejected: rejectedDeliveries.count,
    contradicted,
    pending: events - processed,
  };
}

/** Fulfillment: this session's effects (each should be one per paid order), and every job's state. */
async function jobFigures(sessionId: string | null) {
  const orderIds = sessionId ? (await db.order.findMany({ where: { sessionId }, select: { id: true } })).map((o) => o.id) : [];
  const mine = { orderId: { in: orderIds } };
  const [states, dead, emails, grants, shipments] = await Promise.all([
    db.job.groupBy({ by: ["state"], _count: { _all: true } }),
    db.job.findMany({ where: { state: "dead" }, orderBy: { id: "desc" }, take: 10 }),
    db.outboxEmail.count({ where: mine }),
    db.pointsGrant.aggregate({ where: mine, _sum: { points: true }, _count: { _all: true } }),
    db.shipment.count({ where: mine }),
  ]);
  const byState = Object.fromEntries(states.map((s) => [s.state, s._count._all]));
  return {
    session: { emails, pointsGrants: grants._count._all, points: grants._sum.points ?? 0, shipments },
    states: { queued: byState.queued ?? 0, running: byState.running ?? 0, done: byState.done ?? 0, dead: byState.dead ?? 0 },
    dead,
  };
}

/** Everything /ledger shows, read at once (app/ledger/page.tsx hands each section its part). */
export type Ledger = Awaited<ReturnType<typeof ledger>>;

export async function ledger(sessionId: string | null) {
  await flushCheckoutEvents(); // this process's queued replays and 409s count too
  const [allOrders, intents, overallEvents, webhooks, jobs] = await Promise.all([
    db.order.findMany({ select: { id: true, sessionId: true, status: true } }),
    readPaymentSide(),
    eventCounts(),
    webhookFigures(),
    jobFigures(sessionId),
  ]);
  const sideIntents = typeof intents === "string" ? null : intents;
  const mine = allOrders.filter((o) => o.sessionId === sessionId);
  const myOrderIds = new Set(mine.map((o) => o.id));
  const myIntents = sideIntents?.filter((pi) => pi.orderId && myOrderIds.has(pi.orderId)) ?? null;

  const [sessionEvents, orders, attempts] = sessionId
    ? await Promise.all([
        eventCounts(sessionId),
        db.order.findMany({ where: { sessionId }, orderBy: { createdAt: "desc" }, take: 50 }),
        db.attempt.findMany({
          where: { scope: sessionId },
          orderBy: { createdAt: "desc" },
          take: 20,
          include: { events: { orderBy: { id: "asc" } }, order: { select: { paymentIntentId: true } } },
        }),
      ])
    : [{ requests: 0, replays: 0, waits: 0, resumed: 0, joined: 0 }, [], []];
  // Each attempt's fulfillment job and its recorded steps, for its sequence diagram.
  const attemptJobs = await db.job.findMany({
    where: { orderId: { in: attempts.flatMap((a) => a.orderId ?? []) } },
    include: { steps: { orderBy: { id: "asc" } } },
  });

  return {
    paymentSide: typeof intents === "string" ? intents : ("read" as PaymentSideRead),
    session: figures(sessionEvents, mine, myIntents),
    overall: figures(overallEvents, allOrders, sideIntents),
    orders,
    paymentIntents: myIntents ?? [],
    attempts: attempts.map((a) => ({ ...a, job: attemptJobs.find((j) => j.orderId === a.orderId) ?? null })),
    webhooks,
    jobs,
  };
}
