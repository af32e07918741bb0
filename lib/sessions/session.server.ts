// The current visitor's session: the scope of their idempotency keys, carts
// and orders. The cookie is minted by proxy.ts; pages only read the row, which
// is created by the visitor's first write (a form, an action, an API call with
// the cookie), at most BROWSER_SESSIONS_PER_HOUR an hour per client address. A
// session past its lifetime is no session any more.
import "server-only";
import { cookies, headers } from "next/headers";
import { clientAddress } from "../http/client-address.server";
import { db, isUniqueViolation } from "../db/db.server";
import { env } from "../env.server";
import { RefusedInput } from "@payonce/kit";
import { SessionEndedError } from "../db/attempts.server";
import { countHit, tryAgainIn } from "../http/rate-limit.server";
import { type CookieSession, SESSION_COOKIE, sessionExpiry, sessionFromCookie } from "./session-cookie.server";

/** Refused: this client address began too many sessions this hour. Nothing but the count was written. */
export class SessionLimitReached extends RefusedInput {
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many new visitors from your network address this hour: ${tryAgainIn(retryAfterSeconds)}.`);
  }
}

/** Refused: the request came without a session cookie of ours. */
export class SessionCookieMissing extends RefusedInput {
  constructor() {
    super("Your session cookie is missing. Enable cookies and reload the page.");
  }
}

/** This visitor's session as their cookie says, if it is one this server minted and it has not ended. */
async function currentSession(): Promise<CookieSession | null> {
  return sessionFromCookie((await cookies()).get(SESSION_COOKIE)?.value);
}

export async function currentSessionId(): Promise<string | null> {
  return (await currentSession())?.id ?? null;
}

/** The session row for this visitor, created if needed (for a Server Action or a route handler: it may drop the cookie). */
export async function requireSession(): Promise<{ id: string }> {
  const cookieSession = await currentSession();
  if (!cookieSession) throw new SessionCookieMissing();
  const session = await storedSession(cookieSession, clientAddress(await headers()));
  if (!session) {
    // The next page gets a new cookie from proxy.ts.
    (await cookies()).delete({ name: SESSION_COOKIE, path: "/" });
    throw new SessionEndedError();
  }
  return { id: session.id };
}

/** Whether a stored session (a cookie's or an API token's) has ended at `now`: the one place that says so. */
export const sessionEnded = (session: { expiresAt: Date | null }, now = Date.now()) => !!session.expiresAt && session.expiresAt.getTime() <= now;

/**
 * The row of a session whose cookie we minted, created on its first use by
 * the client at `clientAddress` (SessionLimitReached past its allowance, and
 * nothing written but the count), ending when its cookie does; null once the
 * session has ended. A new visitor's first requests may come at once (two
 * tabs): one of them may find the row inserted meanwhile.
 */
export async function storedSession({ id, issuedAt }: CookieSession, clientAddress: string, now = Date.now()) {
  const stored = await db.session.findUnique({ where: { id } });
  if (stored) return sessionEnded(stored, now) ? null : stored;
  const { hits, retryAfterSeconds } = await countHit("browser-sessions", clientAddress, 3600_000, db, now);
  if (hits > env().limits.browserSessionsPerHour) throw new SessionLimitReached(retryAfterSeconds);
  try {
    return await db.session.create({ data: { id, expiresAt: sessionExpiry(issuedAt) } });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return db.session.findUniqueOrThrow({ where: { id } });
  }
}

/**
 * A refusal by requireSession (or a write finding the session gone), as query
 * parameters for the page a form action redirects to: a code, never the text
 * itself, which a link from anywhere could set to anything.
 */
export function sessionRefusalQuery(error: RefusedInput): string | null {
  if (error instanceof SessionLimitReached) return `refused=limit&minutes=${Math.ceil(error.retryAfterSeconds / 60)}`;
  if (error instanceof SessionCookieMissing) return "refused=cookie";
  return error instanceof SessionEndedError ? "refused=ended" : null;
}

/** What the page says for sessionRefusalQuery's parameters; null if they say nothing. */
export function sessionRefusalMessage(params: { refused?: string; minutes?: string }): string | null {
  if (params.refused === "limit") {
    const minutes = Math.min(60, Math.max(1, Number.parseInt(params.minutes ?? "", 10) || 60));
    return new SessionLimitReached(minutes * 60).message;
  }
  if (params.refused === "cookie") return new SessionCookieMissing().message;
  if (params.refused === "ended") return new SessionEndedError().message;
  return null;
}
