// The protection layers (docs/DESIGN.md) as the operations take them: a
// policy handed in by whoever calls them, every layer on (PROTECTED) unless
// told otherwise. The shop itself only ever runs PROTECTED; the demo builds
// weaker policies from a session's switches (lib/demo/policy.server.ts) and
// hands them in at the edge (app/, scripts/), so each operation keeps the
// protected branch of each layer and nothing of the demo
// (docs/decisions/0014-the-demo-enters-at-the-edge.md).
import type { Tx } from "./db/db.server";

/** What an order's payment reported again, after it was paid, does: nothing in the shop (layer 3: paid once). */
export type PaidAgain = (tx: Tx, orderId: string) => Promise<void>;

/** What a session's operations (the checkout, refunds, the account's and the admin's forms) do at each layer. */
export type Policy = {
  /** Layer 2: the key an attempt is recorded under; null: no record, so every retry runs again from the start. */
  attemptKey(key: string): string | null;
  /** Layer 3: a business key, stored under a unique index (one order per cart, one review per product and order). */
  uniqueKey(key: string): string;
  /** Layer 3: the limits the database keeps (stock never below zero, refunds within the payment, an order shipped once). */
  businessUniqueness: boolean;
  /** Layer 4: Stripe calls carry keys derived from our records, so Stripe dedupes our own retries. */
  derivesStripeKeys: boolean;
  /** Layer 3: called when a payment is reported for an order paid already (none: the report changes nothing). */
  onPaidAgain?: PaidAgain;
};

/** Every layer on. */
export const PROTECTED: Policy = { attemptKey: (key) => key, uniqueKey: (key) => key, businessUniqueness: true, derivesStripeKeys: true };

/** What a job does with its steps: record each (a retry continues, never repeats) and key each effect by what it is for. */
export type StepPolicy = { recordsSteps: boolean; effectKey(key: string): string };

/** Steps recorded, effects keyed. */
export const RECORDED_STEPS: StepPolicy = { recordsSteps: true, effectKey: (key) => key };
