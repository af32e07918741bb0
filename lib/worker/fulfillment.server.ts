// What happens after an order is paid, as one job of named steps. Each side
// effect also has its own unique key: one e-mail per order and kind, one
// points grant per order, one shipment per order. An effect already made
// under its key is left as it is (INSERT … ON CONFLICT DO NOTHING), not
// made again and not an error.
import "server-only";
import { randomUUID } from "node:crypto";
import { insertIfAbsent, type Tx } from "../db/db.server";
import { enqueue, type JobDefinition } from "./jobs.server";
import { relayOutbox } from "./outbox.server";
import { formatMoney } from "../money";

const FULFILLMENT = "fulfillment";
/** One loyalty point per whole currency unit spent. */
export const pointsFor = (amountCents: number) => Math.floor(amountCents / 100);

/** Called in the transaction that marks the order paid: the job commits with it. */
export const enqueueFulfillment = (tx: Tx, orderId: string) => enqueue(tx, FULFILLMENT, orderId);

const order = (tx: Tx, id: string) => tx.order.findUniqueOrThrow({ where: { id }, include: { items: true } });

export const fulfillmentJob: JobDefinition = {
  kind: FULFILLMENT,
  steps: [
    {
      name: "confirmation_email",
      async run(tx, job) {
        const o = await order(tx, job.orderId);
        const lines = o.items.map((i) => `${i.quantity} × ${i.name}`).join("\n");
        await insertIfAbsent(tx, "OutboxEmail", {
          key: job.policy.effectKey(`${o.id}:confirmation`),
          orderId: o.id,
          kind: "confirmation",
          to: o.email,
          subject: `Your PayOnce order ${o.id}`,
          body: `Thank you! We received ${formatMoney(o.amountCents, o.currency)} for:\n\n${lines}\n\nYou earned ${pointsFor(o.amountCents)} loyalty points.`,
          createdAt: new Date(),
        });
      },
    },
    {
      name: "loyalty_points",
      async run(tx, job) {
        const o = await order(tx, job.orderId);
        const points = pointsFor(o.amountCents);
        const granted = await insertIfAbsent(tx, "PointsGrant", {
          key: job.policy.effectKey(o.id),
          orderId: o.id,
          email: o.email,
          points,
          createdAt: new Date(),
        });
        if (granted)
          await tx.loyaltyAccount.upsert({ where: { email: o.email }, create: { email: o.email, points }, update: { points: { increment: points } } });
      },
    },
    {
      name: "shipment",
      async run(tx, job) {
        await insertIfAbsent(tx, "Shipment", {
          key: job.policy.effectKey(job.orderId),
          orderId: job.orderId,
          trackingNumber: `PO${randomUUID().slice(0, 8).toUpperCase()}`,
          createdAt: new Date(),
        });
      },
    },
    {
      // Foreign (SMTP), last: a failure here retries only this step, and a
      // mail already marked sent is not sent again.
      name: "send_email",
      async foreign(job) {
        await relayOutbox({ orderId: job.orderId });
      },
    },
  ],
};
