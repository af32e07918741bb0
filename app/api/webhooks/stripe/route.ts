// Stripe's webhook endpoint: the raw body goes to lib/webhooks untouched
// (the signature covers the exact bytes).
import { receiveWebhook } from "@/lib/webhooks/core.server";
import { stripeWebhooks } from "@/lib/webhooks/stripe.server";

export async function POST(request: Request) {
  const outcome = await receiveWebhook(stripeWebhooks, await request.text(), request.headers);
  return Response.json(outcome, { status: outcome.status });
}
