// POST /api/orders: the checkout for API clients, with the Idempotency-Key
// header (IETF draft semantics, Stripe's behaviour). Same lib as the browser.
import { apiRoute, checkoutResponse, otherMethods, readJson } from "@/lib/api-http.server";
import { createOrderSchema, parseIdempotencyKey } from "@/lib/api-schema";
import { apiSession } from "@/lib/api-session.server";
import { checkout, CheckoutInputError } from "@/lib/checkout.server";
import { db } from "@/lib/db.server";
import { problem } from "@/lib/problem";

export const POST = apiRoute(async (request) => {
  const session = await apiSession(request);
  if (!session) return problem(401, "unauthorized", "Send Authorization: Bearer <token> from POST /api/sessions.");

  const key = parseIdempotencyKey(request.headers.get("idempotency-key"));
  if (!key.ok) {
    return key.missing
      ? problem(400, "idempotency-key-missing", "Send an Idempotency-Key header, e.g. a UUID, and reuse it when you retry.")
      : problem(400, "idempotency-key-malformed", "The key must be 1 to 255 visible ASCII characters (or a quoted string of them).");
  }
  const body = await readJson(request, createOrderSchema);
  if (!body.ok) return body.response;

  // Prices come from the catalog only; the client names products and quantities.
  const products = await db.product.findMany({
    where: { OR: body.data.items.map((i) => (i.slug ? { slug: i.slug } : { id: i.productId })) },
  });
  const items = body.data.items.map((i) => products.find((p) => p.slug === i.slug || p.id === i.productId));
  const errors = items.flatMap((p, n) => (p ? [] : [{ pointer: `/items/${n}`, detail: "No such product." }]));
  if (new Set(items.map((p) => p?.id)).size !== items.length && errors.length === 0) {
    errors.push({ pointer: "/items", detail: "List each product once." });
  }
  if (errors.length > 0) return problem(400, "invalid-body", "Some items are invalid; nothing was stored.", { errors });

  try {
    const result = await checkout({
      session,
      idempotencyKey: key.key,
      input: {
        email: body.data.email,
        paymentMethod: body.data.paymentMethod,
        items: body.data.items.map((i, n) => ({ productId: items[n]!.id, quantity: i.quantity })),
      },
    });
    return checkoutResponse(result);
  } catch (error) {
    if (error instanceof CheckoutInputError) return problem(400, "invalid-body", error.message);
    throw error;
  }
});

export const { GET, PUT, PATCH, DELETE } = otherMethods(["POST"]);
