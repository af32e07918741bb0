// What the checkout form may send. Prices and amounts are never taken from
// the client: the server prices the cart from the catalog.
import { IDEMPOTENCY_KEY_PATTERN } from "@payonce/kit/next";
import { z } from "zod";
import { PAYMENT_METHOD_IDS } from "../payments/payment-methods";

// What every engine stores: PostgreSQL refuses NUL in text and integers past
// 32 bits, which SQLite would take. Checked here, they are a 400, not a 500.
const DB_INT_MAX = 2 ** 31 - 1;
export const databaseId = z.number().int().positive().max(DB_INT_MAX, "No such id.");
/** Ids in URLs (orders): anything else is no such record, without asking the database. */
export const isRecordId = (id: string) => /^[\w-]{1,64}$/.test(id);
export const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !s.includes("\0"), "Must not contain NUL characters.");

/** The form field that carries the attempt key (useSubmitOnce), for every protected form. */
export const idempotencyKeySchema = z
  .string({ error: "An idempotency key is required." })
  .regex(IDEMPOTENCY_KEY_PATTERN, "The idempotency key must be 1 to 255 visible ASCII characters.");

export const emailSchema = z.string().trim().max(254, "That e-mail address is too long.").pipe(z.email("Enter a valid e-mail address."));

export const checkoutFormSchema = z.object({
  cartId: text(64).pipe(z.string().trim().min(1, "The cart is missing. Reload the page.")),
  idempotencyKey: idempotencyKeySchema,
  email: emailSchema,
  paymentMethod: z.enum(PAYMENT_METHOD_IDS, { error: "Choose one of the test cards." }),
});

export type CheckoutFormFields = keyof z.infer<typeof checkoutFormSchema>;
