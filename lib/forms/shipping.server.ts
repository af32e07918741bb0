// "Mark as shipped" from the admin, a one-phase user of the kit: the order is
// shipped once (a conditional update) and its customer gets one "on its way"
// e-mail (a unique key), however often the button is pressed.
import "server-only";
import { attempts, runAttempt } from "../db/attempts.server";
import { z } from "zod";
import { idempotencyKeySchema, text } from "../orders/checkout-schema";
import { db } from "../db/db.server";
import { PROTECTED } from "../policy";
import { atomicPhase, type PhaseResult, RefusedInput, requestFingerprint } from "@payonce/kit";

export const shipFormSchema = z.object({
  orderId: text(64).pipe(z.string().min(1, "The order is missing. Reload the page.")),
  idempotencyKey: idempotencyKeySchema,
});

export const shipOutcomeSchema = z.object({ kind: z.enum(["shipped", "already_shipped"]) });

type ShipOutcome = z.infer<typeof shipOutcomeSchema>;

export async function markShipped(session: { id: string }, key: string, fields: { orderId: string }, policy = PROTECTED) {
  const order = await db.order.findUnique({ where: { id: fields.orderId }, include: { items: true } });
  if (!order || order.status !== "paid") throw new RefusedInput("Only a paid order can be shipped.");

  return runAttempt({
    name: "shipping",
    ...attempts(),
    scope: session.id,
    key: policy.attemptKey(key),
    fingerprint: requestFingerprint("POST", "/admin/ship", fields),
    outcome: shipOutcomeSchema,
    phases: {
      started: (lease) =>
        atomicPhase(lease, async (tx): Promise<PhaseResult<ShipOutcome>> => {
          const notYet = policy.businessUniqueness ? { shippedAt: null } : {};
          const { count } = await tx.order.updateMany({ where: { id: order.id, ...notYet }, data: { shippedAt: new Date() } });
          if (count === 0) return { finish: { kind: "already_shipped" } };
          await tx.outboxEmail.create({
            data: {
              key: policy.uniqueKey(`${order.id}:shipped`),
              orderId: order.id,
              kind: "shipped",
              to: order.email,
              subject: `Your PayOnce order ${order.id} is on its way`,
              body: `Good news: ${order.items.map((i) => `${i.quantity} × ${i.name}`).join(", ")} left our warehouse today.`,
            },
          });
          return { finish: { kind: "shipped" } };
        }),
    },
  });
}
