// The session cookie, shared by proxy.ts (which mints it) and the server code
// (which reads it). The session id is the scope of a visitor's idempotency
// keys, carts and orders, so only ids this server minted are accepted: the
// cookie's value is `<id>.<issuedAt>.<signature>`, an HMAC of the id and its
// issue time (ms since the epoch) with SESSION_SECRET. A value anyone chose
// (session fixation), or an API token, is not a session; nor is a cookie kept
// past SESSION_LIFETIME_DAYS from its issue (its row may be gone by then, and
// the same id must not begin again), nor one of the format before issue times
// (`<id>.<signature>`): proxy.ts mints a new one in their place.
import "server-only";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { env } from "../env.server";

export const SESSION_COOKIE = "payonce_session";
/** The cookie lives as long as a session does (SESSION_LIFETIME_DAYS). */
export const sessionMaxAgeSeconds = () => Math.floor(env().limits.sessionLifetimeMs / 1000);

/** When a session begun at `start` ends: a cookie's, and its row's, or an API token's. */
export const sessionExpiry = (start = Date.now()) => new Date(start + env().limits.sessionLifetimeMs);

const SESSION_ID = /^[A-Za-z0-9_-]{22,64}$/;
/** The shape of a session id or API token (32 random bytes, base64url). */
export const isSessionId = (value: string | undefined): value is string => !!value && SESSION_ID.test(value);

/** A session as its cookie says: its id and when it was issued. */
export type CookieSession = { id: string; issuedAt: number };

const sign = (id: string, issuedAt: string) => createHmac("sha256", env().sessionSecret).update(`${id}.${issuedAt}`).digest("base64url");

/** A new session issued at `now`: its id, and the cookie value that carries it. */
export function mintSession(now = Date.now()): CookieSession & { cookie: string } {
  const id = randomBytes(24).toString("base64url");
  return { id, issuedAt: now, cookie: `${id}.${now}.${sign(id, String(now))}` };
}

/** The session in a cookie value, if this server minted it and it has not ended at `now`; otherwise null. */
export function sessionFromCookie(value: string | undefined, now = Date.now()): CookieSession | null {
  const [id, time, signature, ...rest] = value?.split(".") ?? [];
  if (!isSessionId(id) || !time || !/^\d{1,15}$/.test(time) || !signature || rest.length > 0) return null;
  const expected = Buffer.from(sign(id, time));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const issuedAt = Number(time);
  return sessionExpiry(issuedAt).getTime() > now ? { id, issuedAt } : null;
}

/** The session id in a cookie value (see sessionFromCookie). */
export const sessionIdFromCookie = (value: string | undefined, now = Date.now()) => sessionFromCookie(value, now)?.id ?? null;
