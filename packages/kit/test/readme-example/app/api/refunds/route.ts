// app/api/refunds/route.ts: the same operation behind a JSON route.
import { idempotentResponse, idempotentRoutes } from "@payonce/kit/next";
import { z } from "zod";
import { refundOrder } from "../../../lib/refunds";
import { bearerToken } from "../../../lib/session"; // yours: the API client's id from its bearer token, or null

const refundSchema = z.object({ orderId: z.string(), amountCents: z.number().int().min(1) });
const { idempotentPost } = idempotentRoutes({ authenticate: bearerToken }); // null: 401
export const POST = idempotentPost(refundSchema, async ({ scope, key, body }) =>
  idempotentResponse(await refundOrder(scope, key, body), (outcome, headers) => Response.json(outcome, { status: 201, headers })),
);
