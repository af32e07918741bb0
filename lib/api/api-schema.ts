// What API clients may send and get back, as zod schemas: they validate the
// requests and are the source of /api/openapi.json.
import { z } from "zod";
import { MAX_QUANTITY } from "../orders/cart.server";
import { databaseId, text } from "../orders/checkout-schema";
import { PAYMENT_METHOD_IDS } from "../payments/payment-methods";

const orderItemSchema = z
  .strictObject({
    slug: text(64).pipe(z.string().min(1)).optional().describe("The product's slug, or give productId"),
    productId: databaseId.optional(),
    quantity: z.number().int().min(1).max(MAX_QUANTITY),
  })
  .refine((item) => (item.slug === undefined) !== (item.productId === undefined), {
    message: "Give either slug or productId.",
  });

export const createOrderSchema = z.strictObject({
  email: z.string().trim().max(254).pipe(z.email("Enter a valid e-mail address.")),
  items: z.array(orderItemSchema).min(1, "Add at least one item.").max(20),
  paymentMethod: z.enum(PAYMENT_METHOD_IDS),
});

/** Where to send the customer to authenticate (3-D Secure); they come back to /checkout/return. */
export const nextActionSchema = z.object({ type: z.literal("redirect_to_url"), url: z.url() });

export const orderSchema = z.object({
  id: z.string(),
  status: z.enum(["awaiting_payment", "payment_failed", "paid", "refunded"]),
  email: z.string(),
  amountCents: z.number().int(),
  currency: z.string(),
  paymentIntentId: z.string().nullable(),
  notice: z.string().optional().describe("What the customer should know beyond the status, e.g. refunded because it sold out"),
  items: z.array(z.object({ productId: z.number().int(), name: z.string(), unitPriceCents: z.number().int(), quantity: z.number().int() })),
  createdAt: z.string(),
});

export type OrderView = z.infer<typeof orderSchema>;

export const productSchema = z.object({
  id: z.number().int(),
  slug: z.string(),
  name: z.string(),
  price: z.number().int().describe("In the currency's minor unit (cents)"),
  currency: z.string(),
  stock: z.number().int(),
});

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  errors: z.array(z.object({ pointer: z.string(), detail: z.string() })).optional(),
});
