// POST /api/orders: the checkout for API clients, with the Idempotency-Key
// header (IETF draft semantics, Stripe's behaviour; idempotentPost does the
// header, the session and the body). Same lib as the browser.
import { checkoutResponse, idempotentPost, otherMethods } from "@/lib/api-http.server";
import { createOrderSchema } from "@/lib/api-schema";
import { checkout } from "@/lib/checkout.server";
import { db } from "@/lib/db.server";
import { problem } from "@/lib/problem";

export const POST = idempotentPost(createOrderSchema, async ({ session, key, body }) => {
  // Prices come from the catalog only; the client names products and quantities.
  const products = await db.product.findMany({
    where: { OR: body.items.map((i) => (i.slug ? { slug: i.slug } : { id: i.productId })) },
  });
  const items = body.items.map((i) => products.find((p) => p.slug === i.slug || p.id === i.productId));
  const errors = items.flatMap((p, n) => (p ? [] : [{ pointer: `/items/${n}`, detail: "No such product." }]));
  if (new Set(items.map((p) => p?.id)).size !== items.length && errors.length === 0) {
    errors.push({ pointer: "/items", detail: "List each product once." });
  }
  if (errors.length > 0) return problem(400, "invalid-body", "Some items are invalid; nothing was stored.", { errors });

  const result = await checkout({
    session,
    idempotencyKey: key,
    input: {
      email: body.email,
      paymentMethod: body.paymentMethod,
      items: body.items.map((i, n) => ({ productId: items[n]!.id, quantity: i.quantity })),
    },
  });
  return checkoutResponse(result);
});

export const { GET, PUT, PATCH, DELETE } = otherMethods(["POST"]);
