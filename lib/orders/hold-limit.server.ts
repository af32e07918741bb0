// What one client may hold unpaid: units in orders that wait for payment keep
// them from everyone else for STOCK_HOLD_MINUTES (renewable), so one session
// and one client address may hold only so many at once. Checked in the
// transaction that creates the order, serialized per session and per address,
// so concurrent checkouts (on any app instance) cannot pass it together.
import "server-only";
import type { Tx } from "../db/db.server";
import { env } from "../env.server";
import { serializeOn } from "../http/rate-limit.server";
import { RefusedInput } from "@payonce/kit";

/** Refused: the order would take this client past what it may hold unpaid. Nothing was written. */
export class HoldLimitReached extends RefusedInput {
  readonly retryAfterSeconds = Math.ceil(env().stockHoldMs / 1000);
}

type Holder = { sessionId: string; clientAddress: string | null };

/** Throws HoldLimitReached if `units` more would take the session or its address past their limit. */
export async function checkHoldLimit(tx: Tx, holder: Holder, units: number): Promise<void> {
  const { holdUnitsPerSession, holdUnitsPerAddress } = env().limits;
  const holdMs = env().stockHoldMs;
  await serializeOn(tx, `hold:session:${holder.sessionId}`, holdMs);
  const bySession = await heldUnits(tx, { sessionId: holder.sessionId });
  if (bySession + units > holdUnitsPerSession) {
    throw new HoldLimitReached(
      `One customer may hold at most ${holdUnitsPerSession} items in unpaid orders at once (${bySession} are waiting for payment now). ` +
        "Pay for those, make this order smaller, or try again once they are released.",
    );
  }
  if (!holder.clientAddress) return;
  await serializeOn(tx, `hold:address:${holder.clientAddress}`, holdMs);
  const byAddress = await heldUnits(tx, { clientAddress: holder.clientAddress });
  if (byAddress + units > holdUnitsPerAddress) {
    throw new HoldLimitReached(
      `Customers at your network address may hold at most ${holdUnitsPerAddress} items in unpaid orders at once. ` +
        "Pay for the orders waiting for payment, or try again once they are released.",
    );
  }
}

/** The most units one order may have: what its session may hold, and its address if known; more could never pass. */
export function mostUnitsPerOrder(clientAddress: string | null): number {
  const { holdUnitsPerSession, holdUnitsPerAddress } = env().limits;
  return clientAddress ? Math.min(holdUnitsPerSession, holdUnitsPerAddress) : holdUnitsPerSession;
}

/** Units in orders that can still be paid and have not given their units back. */
async function heldUnits(tx: Tx, where: { sessionId: string } | { clientAddress: string }): Promise<number> {
  const { _sum } = await tx.orderItem.aggregate({
    _sum: { quantity: true },
    where: { order: { ...where, status: { in: ["awaiting_payment", "payment_failed"] }, stockReleasedAt: null } },
  });
  return _sum.quantity ?? 0;
}
