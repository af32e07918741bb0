import { createApiSession } from "@/lib/api-session.server";

/** A new API session: its token scopes the caller's idempotency keys and orders. */
export async function POST() {
  return Response.json({ token: await createApiSession() }, { status: 201 });
}
