import { apiRoute, otherMethods } from "@/lib/api-http.server";
import { createApiSession } from "@/lib/api-session.server";

/** A new API session: its token scopes the caller's idempotency keys and orders. */
export const POST = apiRoute(async () => {
  return Response.json({ token: await createApiSession() }, { status: 201 });
});

export const { GET, PUT, PATCH, DELETE } = otherMethods(["POST"]);
