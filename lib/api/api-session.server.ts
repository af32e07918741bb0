// Who is calling the JSON API: `Authorization: Bearer <token>` (from POST
// /api/sessions) or the storefront's session cookie. The session is the scope
// of the caller's idempotency keys.
import "server-only";
import { randomBytes } from "node:crypto";
import { db } from "../db/db.server";
import { clientAddress } from "../http/client-address.server";
import { isSessionId, SESSION_COOKIE, sessionExpiry, sessionFromCookie } from "../sessions/session-cookie.server";
import { sessionEnded, storedSession } from "../sessions/session.server";

export async function createApiSession(): Promise<string> {
  const token = randomBytes(24).toString("base64url");
  await db.session.create({ data: { id: token, expiresAt: sessionExpiry() } });
  return token;
}

export async function apiSession(request: Request) {
  const auth = request.headers.get("authorization");
  const bearer = auth?.match(/^Bearer\s+(\S+)$/i)?.[1];
  const cookie = request.headers
    .get("cookie")
    ?.split(/;\s*/)
    .find((c) => c.startsWith(`${SESSION_COOKIE}=`))
    ?.slice(SESSION_COOKIE.length + 1);
  // A token must have been issued (stored); a cookie must have been minted by us
  // (signed, not ended), and may belong to a visitor not stored yet
  // (SessionLimitReached when its address began too many). A session past its
  // lifetime is no session any more (the worker deletes it, or keeps it for its orders).
  const session = bearer ? await tokenSession(bearer) : await cookieSession(cookie, request.headers);
  return session && { id: session.id };
}

async function tokenSession(token: string) {
  const session = isSessionId(token) ? await db.session.findUnique({ where: { id: token } }) : null;
  return session && !sessionEnded(session) ? session : null;
}

async function cookieSession(cookie: string | undefined, headers: Headers) {
  const session = sessionFromCookie(cookie);
  return session && storedSession(session, clientAddress(headers));
}
