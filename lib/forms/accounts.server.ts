// Customer accounts without passwords: a sign-in link by e-mail (which also
// signs up), used once, within its lifetime. Requesting the link is a one-phase
// user of the kit: a resubmitted form is one attempt, and a unique "live link"
// key (one per browser session and address) makes even two attempts one e-mail.
// Across sessions, at most SIGN_IN_LINKS_PER_WINDOW links go to one address per
// window: past that the person is told the same ("we sent you a link"), so the
// answer never says whether anything was sent, or whether the account exists.
// And one client address may ask at most SIGN_IN_LINKS_PER_ADDRESS links per
// window, to whatever e-mail addresses: past that the form says to wait (a
// count of the client, which says nothing about any account) and nothing but
// the count is written.
import "server-only";
import { attempts, runAttempt } from "../db/attempts.server";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { emailSchema, idempotencyKeySchema } from "../orders/checkout-schema";
import { db, type Tx } from "../db/db.server";
import { env } from "../env.server";
import { PROTECTED } from "../policy";
import { RefusedInput, requestFingerprint, uniquePhase } from "@payonce/kit";
import { SessionEndedError } from "../db/attempts.server";
import { countHit, tryAgainIn } from "../http/rate-limit.server";
import { sessionEnded } from "../sessions/session.server";

const LINK_LIFETIME_MS = 15 * 60_000;

export const signInFormSchema = z.object({ email: emailSchema, idempotencyKey: idempotencyKeySchema });

export const signInOutcomeSchema = z.object({ kind: z.enum(["link_sent", "already_sent"]) });

type SignInOutcome = z.infer<typeof signInOutcomeSchema>;

/** E-mails a sign-in link to `email` (a new account is made when it is first used), asked by the client at `clientAddress` at `now` (the limits' windows). */
export async function requestSignInLink(
  session: { id: string },
  key: string,
  { email }: { email: string },
  origin: string,
  clientAddress: string,
  now = Date.now(),
  policy = PROTECTED,
) {
  const address = email.toLowerCase();
  const liveKey = policy.uniqueKey(`${session.id}:${address}`);
  return runAttempt({
    name: "account",
    ...attempts(),
    scope: session.id,
    key: policy.attemptKey(key),
    fingerprint: requestFingerprint("POST", "/account/sign-in", { email: address }),
    outcome: signInOutcomeSchema,
    // Once per attempt (a resubmitted form is not asking again).
    precondition: async () => {
      const { signInLinksPerAddress, signInWindowMs } = env().limits;
      const { hits, retryAfterSeconds } = await countHit("sign-in-links-from", clientAddress, signInWindowMs, db, now);
      if (hits > signInLinksPerAddress) {
        throw new RefusedInput(`Too many sign-in links were asked from your network address: ${tryAgainIn(retryAfterSeconds)}.`, "email");
      }
    },
    phases: {
      started: (lease) =>
        uniquePhase<SignInOutcome, Tx>(
          lease,
          async (tx) => {
            const { signInLinksPerWindow, signInWindowMs } = env().limits;
            const { hits } = await countHit("sign-in-links", address, signInWindowMs, tx, now);
            if (hits > signInLinksPerWindow) return { finish: { kind: "link_sent" } };
            // An expired link no longer holds its live key.
            await tx.signInLink.deleteMany({ where: { liveKey, expiresAt: { lte: new Date(now) } } });
            const token = randomBytes(24).toString("base64url");
            const link = await tx.signInLink.create({
              data: { token, email: address, sessionId: session.id, liveKey, expiresAt: new Date(now + LINK_LIFETIME_MS) },
            });
            await tx.outboxEmail.create({
              data: {
                key: `sign-in:${link.id}`,
                sessionId: session.id,
                kind: "sign_in",
                to: address,
                subject: "Your PayOnce sign-in link",
                body: `Open this link within 15 minutes to sign in (it works once):\n\n${origin}/account/sign-in?token=${token}`,
              },
            });
            return { finish: { kind: "link_sent" } };
          },
          { kind: "already_sent" },
        ),
    },
  });
}

/** The link's address, if it can still be used (for the page that asks to confirm). */
export async function signInLinkEmail(token: string): Promise<string | null> {
  const link = await db.signInLink.findUnique({ where: { token } });
  return link && !link.usedAt && link.expiresAt > new Date() ? link.email : null;
}

/**
 * Uses the link once, for this session: a repeat (a double click, a reload)
 * from the session it signed in finds it signed in already.
 */
export async function signInWithLink(sessionId: string, token: string): Promise<{ email: string }> {
  return db.$transaction(async (tx) => {
    const link = await tx.signInLink.findUnique({ where: { token } });
    if (!link) throw new RefusedInput("This sign-in link is not valid. Ask for a new one.");
    const { count } = await tx.signInLink.updateMany({
      where: { id: link.id, usedAt: null, expiresAt: { gt: new Date() } },
      data: { usedAt: new Date(), liveKey: null },
    });
    const customer = await tx.customer.upsert({ where: { email: link.email }, create: { email: link.email }, update: {} });
    if (count === 0) {
      const session = await tx.session.findUnique({ where: { id: sessionId } });
      if (session?.customerId !== customer.id) throw new RefusedInput("This sign-in link was used already or has expired. Ask for a new one.");
    }
    // requireSession stored the row; the reaper may have deleted it since (and this rolls back).
    const signedIn = await tx.session.updateMany({ where: { id: sessionId }, data: { customerId: customer.id } });
    if (signedIn.count === 0) throw new SessionEndedError();
    return { email: customer.email };
  });
}

export async function signOut(sessionId: string) {
  await db.session.updateMany({ where: { id: sessionId }, data: { customerId: null } });
}

/** The customer this session is signed in as, if any. */
export async function sessionCustomer(sessionId: string | null) {
  if (!sessionId) return null;
  const session = await db.session.findUnique({ where: { id: sessionId }, select: { customer: true, expiresAt: true } });
  return session && !sessionEnded(session) ? session.customer : null;
}

/** For the account's forms: the signed-in customer, or a refusal that says so. */
export async function requireCustomer(sessionId: string) {
  const customer = await sessionCustomer(sessionId);
  if (!customer) throw new RefusedInput("Sign in first: your session is not signed in (any more).");
  return customer;
}
