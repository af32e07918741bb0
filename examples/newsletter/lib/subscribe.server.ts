// Signing up, once per attempt key, whoever calls it (the form's server action
// or the JSON route): two phases around a foreign call.
//   started: the subscriber's row (local, one transaction with the attempt's move);
//   subscriber_created: the welcome e-mail (foreign, outside any transaction,
//     with its own key), then the row marked welcomed and the outcome (local).
// A resumed attempt (its holder crashed) goes on at its recovery point: the
// row is never made twice, and the e-mail's key makes a repeat harmless.
import "server-only";
import { atomicPhase, requestFingerprint, runIdempotent, type Lease } from "@payonce/kit";
import { z } from "zod";
import { db, type Tx } from "./db.server";
import { idempotency } from "./idempotency.server";
import { MailServiceDown, sendWelcome } from "./mailer.server";

/** What a sign-up asks: the form's field and the JSON route's body. */
export const signUpFields = z.object({ email: z.email("Enter an e-mail address.").max(254) });
export type SignUp = z.infer<typeof signUpFields>;

/** The outcome every request with the key gets, stored as JSON and read back with this schema. */
const subscribed = z.object({ kind: z.literal("subscribed"), subscriberId: z.string() });

export function subscribe(scope: string, key: string, fields: SignUp, { waitForRunning = false } = {}) {
  return runIdempotent({
    ...idempotency,
    scope,
    key,
    fingerprint: requestFingerprint("POST", "/subscribe", fields),
    request: JSON.stringify(fields),
    outcome: subscribed,
    // A form sent twice before its page hydrated: the second waits for the first's outcome.
    waitForRunning,
    // Not final: the attempt is released, and the same key resumes it at the welcome e-mail.
    retryable: (error) => error instanceof MailServiceDown,
    phases: {
      started: (lease) =>
        atomicPhase(lease, async (tx) => {
          await tx.subscriber.create({ data: { email: fields.email, attemptId: lease.attemptId } });
          return { next: "subscriber_created" };
        }),
      subscriber_created: async (lease: Lease<Tx>) => {
        // Read back, not passed along: a resumed attempt starts here, in another request.
        const subscriber = await db.subscriber.findUniqueOrThrow({ where: { attemptId: lease.attemptId } });
        await sendWelcome(subscriber.email, `welcome:${subscriber.id}`);
        return atomicPhase(lease, async (tx) => {
          await tx.subscriber.update({ where: { id: subscriber.id }, data: { welcomedAt: new Date() } });
          return { finish: { kind: "subscribed" as const, subscriberId: subscriber.id } };
        });
      },
    },
  });
}
