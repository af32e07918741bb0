// What the checkout form may send. Prices and amounts are never taken from
// the client: the server prices the cart from the catalog.
import { z } from "zod";
import { PAYMENT_METHOD_IDS } from "./payment-methods";

export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

const idempotencyKeySchema = z
  .string({ error: "An idempotency key is required." })
  .regex(IDEMPOTENCY_KEY_PATTERN, "The idempotency key must be 1 to 255 visible ASCII characters.");

export const checkoutFormSchema = z.object({
  cartId: z.string().trim().min(1, "The cart is missing. Reload the page.").max(64),
  idempotencyKey: idempotencyKeySchema,
  email: z.string().trim().max(254, "That e-mail address is too long.").pipe(z.email("Enter a valid e-mail address.")),
  paymentMethod: z.enum(PAYMENT_METHOD_IDS, { error: "Choose one of the test cards." }),
});

export type CheckoutFormFields = keyof z.infer<typeof checkoutFormSchema>;
