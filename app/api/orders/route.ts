// POST /api/orders: the checkout for API clients, with the Idempotency-Key
// header (IETF draft semantics, Stripe's behaviour; idempotentPost does the
// header, the session and the body). Same lib as the browser, with the
// demo's policy and crash hook handed in as the browser's are.
import { checkoutResponse, idempotentPost, otherMethods } from "@/lib/api/api-http.server";
import { createOrderSchema } from "@/lib/api/api-schema";
import { checkout } from "@/lib/orders/checkout.server";
import { checkoutReturnUrl } from "@/lib/payments/return-url.server";
import { clientAddress } from "@/lib/http/client-address.server";
import { checkoutCrash } from "@/lib/demo/crash.server";
import { sessionPolicy } from "@/lib/demo/policy.server";

// The items are checked (and priced from the catalog) by the checkout itself,
// for a new attempt only: a replay answers from its record alone.
export const POST = idempotentPost(createOrderSchema, async ({ request, scope: session, key, body }) =>
  checkoutResponse(
    await checkout({
      session,
      idempotencyKey: key,
      input: body,
      returnUrl: checkoutReturnUrl(request.headers),
      clientAddress: clientAddress(request.headers),
      policy: await sessionPolicy(session.id),
      crashAfter: checkoutCrash(),
    }),
  ),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods(["POST"]);
