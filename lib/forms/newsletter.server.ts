// Newsletter opt-in and out, a one-phase user of the kit: one subscription per
// customer (a unique key) and one welcome e-mail per subscription, however
// often "Save" is pressed.
import "server-only";
import { attempts, runAttempt } from "../db/attempts.server";
import { z } from "zod";
import { idempotencyKeySchema } from "../orders/checkout-schema";
import { PROTECTED } from "../policy";
import { atomicPhase, requestFingerprint, uniquePhase } from "@payonce/kit";
import type { Tx } from "../db/db.server";

export const newsletterFormSchema = z.object({
  subscribe: z.enum(["on"]).optional().transform(Boolean),
  idempotencyKey: idempotencyKeySchema,
});

export const newsletterOutcomeSchema = z.object({ kind: z.enum(["subscribed", "already_subscribed", "unsubscribed"]) });

type NewsletterOutcome = z.infer<typeof newsletterOutcomeSchema>;

type Customer = { id: string; email: string };

export async function setNewsletter(session: { id: string }, customer: Customer, key: string, { subscribe }: { subscribe: boolean }, policy = PROTECTED) {
  return runAttempt({
    name: "newsletter",
    ...attempts(),
    scope: session.id,
    key: policy.attemptKey(key),
    fingerprint: requestFingerprint("POST", "/account/newsletter", { customerId: customer.id, subscribe }),
    outcome: newsletterOutcomeSchema,
    phases: {
      started: (lease) =>
        subscribe
          ? uniquePhase<NewsletterOutcome, Tx>(
              lease,
              async (tx) => {
                const subscription = await tx.newsletterSubscription.create({
                  data: { customerId: customer.id, subscriptionKey: policy.uniqueKey(customer.id) },
                });
                await tx.outboxEmail.create({
                  data: {
                    key: `newsletter:${subscription.id}`,
                    sessionId: session.id,
                    kind: "newsletter_welcome",
                    to: customer.email,
                    subject: "Welcome to the PayOnce newsletter",
                    body: "You will hear from us once a month. Unsubscribe any time from your account page.",
                  },
                });
                return { finish: { kind: "subscribed" } };
              },
              { kind: "already_subscribed" },
            )
          : atomicPhase<NewsletterOutcome, Tx>(lease, async (tx) => {
              await tx.newsletterSubscription.deleteMany({ where: { customerId: customer.id } });
              return { finish: { kind: "unsubscribed" } };
            }),
    },
  });
}
