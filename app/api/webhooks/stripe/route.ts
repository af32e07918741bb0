// Stripe's webhook endpoint: the raw body goes to lib/webhooks untouched
// (the signature covers the exact bytes), read up to WEBHOOK_BODY_LIMIT, with
// the demo's policy for the order each event is about.
import { apiRoute, otherMethods, tooLarge } from "@/lib/api/api-http.server";
import { readBoundedBody } from "@payonce/kit/next";
import { receiveWebhook, WEBHOOK_BODY_LIMIT } from "@/lib/webhooks/core.server";
import { stripeWebhooks } from "@/lib/webhooks/stripe.server";
import { dedupesWebhook, paidAgainInOrderSession } from "@/lib/demo/policy.server";

// The database busy or down → 503: Stripe redelivers later.
export const POST = apiRoute(async (request) => {
  const body = await readBoundedBody(request, WEBHOOK_BODY_LIMIT);
  if (!body) return tooLarge(WEBHOOK_BODY_LIMIT);
  const outcome = await receiveWebhook(stripeWebhooks, new TextDecoder().decode(body), request.headers, {
    dedupe: dedupesWebhook,
    onPaidAgain: paidAgainInOrderSession,
  });
  return Response.json(outcome, { status: outcome.status });
});

export const { GET, PUT, PATCH, DELETE } = otherMethods(["POST"]);
