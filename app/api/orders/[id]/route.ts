import { apiRoute, otherMethods, unauthorized } from "@/lib/api/api-http.server";
import { apiSession } from "@/lib/api/api-session.server";
import { orderView } from "@/lib/orders/checkout.server";
import { isRecordId } from "@/lib/orders/checkout-schema";
import { db } from "@/lib/db/db.server";
import { problem } from "@/lib/api/problem";

/** One of the caller's own orders; anyone else's is indistinguishable from none. */
export const GET = apiRoute(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const session = await apiSession(request);
  if (!session) return unauthorized();
  const { id } = await params;
  if (!isRecordId(id)) return problem(404, "not-found", "No such order for this session.");
  const order = await db.order.findFirst({ where: { id, sessionId: session.id }, select: { id: true } });
  if (!order) return problem(404, "not-found", "No such order for this session.");
  return Response.json({ order: await orderView(db, order.id) });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
