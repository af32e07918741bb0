// Stripe's webhook endpoint: the raw body goes to lib/webhooks untouched
// (the signature covers the exact bytes).
import { apiRoute, otherMethods } from "@/lib/api-http.server";
import { receiveWebhook } from "@/lib/webhooks/core.server";
import { stripeWebhooks } from "@/lib/webhooks/stripe.server";
import { dedupesWebhook } from "@/lib/demo/unprotected.server";

// The database busy or down → 503: Stripe redelivers later.
export const POST = apiRoute(async (request) => {
  const outcome = await receiveWebhook(stripeWebhooks, await request.text(), request.headers, { dedupe: dedupesWebhook });
  return Response.json(outcome, { status: outcome.status });
});

export const { GET, PUT, PATCH, DELETE } = otherMethods(["POST"]);
