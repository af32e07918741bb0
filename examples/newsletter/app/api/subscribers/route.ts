// POST /api/subscribers {"email": …} with an Idempotency-Key header: the same
// sign-up as the form, for scripts. A retry with the same key gets the first
// answer (Idempotent-Replayed: true), another body with that key is a 422, a
// retry while the first is running a 409 with Retry-After. The visitor cookie
// (from any page of this site) is the keys' scope; without it, a 401.
import { idempotentResponse, idempotentRoutes } from "@payonce/kit/next";
import { signUpFields, subscribe } from "../../../lib/subscribe.server";
import { visitorScope } from "../../../lib/visitor.server";

const { idempotentPost } = idempotentRoutes({
  authenticate: () => visitorScope(),
  unauthorizedDetail: "Send the visitor cookie this site sets on any page.",
});

export const POST = idempotentPost(signUpFields, async ({ scope, key, body }) =>
  idempotentResponse(await subscribe(scope, key, body), (outcome, headers) => Response.json(outcome, { status: 201, headers })),
);
