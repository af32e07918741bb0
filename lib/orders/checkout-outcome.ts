// How a checkout ends, as the checkout's own value: stored on its attempt,
// parsed with this schema when a retry replays it. The API (status codes,
// problem details) and the Pay form (messages) each make their answer from it.
import { z } from "zod";
import { nextActionSchema, orderSchema } from "../api/api-schema";

export const checkoutOutcomeSchema = z.discriminatedUnion("kind", [
  /** Paid (or already past paid: refunded). */
  z.object({ kind: z.literal("paid"), order: orderSchema }),
  /**
   * The payment has not finished yet: Stripe is still processing it, or the
   * bank asks the customer to authenticate (3-D Secure) at `nextAction.url`,
   * after which they come back to the return page.
   */
  z.object({
    kind: z.literal("awaiting_payment"),
    order: orderSchema,
    nextAction: nextActionSchema.optional(),
  }),
  /** Final for this attempt: the next one may use another card. */
  z.object({ kind: z.literal("declined"), order: orderSchema, code: z.string(), message: z.string() }),
  /** Nothing was written and nothing charged. */
  z.object({ kind: z.literal("out_of_stock"), message: z.string() }),
]);

export type CheckoutOutcome = z.infer<typeof checkoutOutcomeSchema>;
