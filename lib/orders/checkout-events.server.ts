// The checkout's timeline, the ledger's source: one CheckoutEvent row per step
// of each attempt. Steps that moved the attempt are written in their phase's
// transaction (@payonce/kit's atomicPhase). Requests that moved
// nothing (replays, "still running") must not cost the customer a write: they
// are queued here and written a moment later, many in one statement, off the
// request path. The price: a process killed in that moment loses those few
// counts (never a step of an attempt).
import "server-only";
import { CheckoutEventKind } from "../../generated/sqlite/enums";
import { db, type Tx } from "../db/db.server";
import type { AttemptEvent, Timeline } from "@payonce/kit";

type Row = { sessionId: string; attemptId: string | null; kind: CheckoutEventKind; detail?: string; createdAt: Date };

const FLUSH_AFTER_MS = 20;
const queued: Row[] = [];
let flushing: Promise<void> | null = null;

function row(sessionId: string, event: AttemptEvent): Row {
  if (!(event.kind in CheckoutEventKind)) throw new Error(`not a checkout event kind: ${event.kind}`);
  return { sessionId, attemptId: event.attemptId, kind: event.kind as CheckoutEventKind, detail: event.detail, createdAt: new Date() };
}

/** Writes what is queued now (the ledger calls it before it counts). */
export async function flushCheckoutEvents(): Promise<void> {
  await flushing;
  const rows = queued.splice(0);
  if (rows.length === 0) return;
  flushing = db.checkoutEvent
    .createMany({ data: rows })
    .then(() => {})
    .catch((error: unknown) => console.error(`checkout events: ${rows.length} could not be written`, error))
    .finally(() => (flushing = null));
  await flushing;
}

export function checkoutTimeline(sessionId: string): Timeline<Tx> {
  return {
    async write(tx: Tx, events: AttemptEvent[]) {
      await tx.checkoutEvent.createMany({ data: events.map((e) => row(sessionId, e)) });
    },
    note(event: AttemptEvent) {
      if (queued.push(row(sessionId, event)) === 1) setTimeout(() => void flushCheckoutEvents(), FLUSH_AFTER_MS).unref();
    },
  };
}
