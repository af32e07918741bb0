// The session cookie, shared by proxy.ts (which mints it) and the server code
// (which reads it). The session id is the scope of a visitor's idempotency
// keys, carts and orders, so only ids this server minted are accepted: the
// cookie's value is `<id>.<signature>`, an HMAC of the id with SESSION_SECRET.
// A value anyone chose (session fixation), or an API token, is not a session.
import "server-only";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { env } from "./env.server";

export const SESSION_COOKIE = "payonce_session";
/** The cookie lives as long as a session does (SESSION_LIFETIME_DAYS). */
export const sessionMaxAgeSeconds = () => Math.floor(env().limits.sessionLifetimeMs / 1000);

const SESSION_ID = /^[A-Za-z0-9_-]{22,64}$/;
/** The shape of a session id or API token (32 random bytes, base64url). */
export const isSessionId = (value: string | undefined): value is string => !!value && SESSION_ID.test(value);

const sign = (id: string) => createHmac("sha256", env().sessionSecret).update(id).digest("base64url");

/** A new session: its id, and the cookie value that carries it. */
export function mintSession(): { id: string; cookie: string } {
  const id = randomBytes(24).toString("base64url");
  return { id, cookie: `${id}.${sign(id)}` };
}

/** The session id in a cookie value, if this server minted it; otherwise null. */
export function sessionIdFromCookie(value: string | undefined): string | null {
  const [id, signature, ...rest] = value?.split(".") ?? [];
  if (!isSessionId(id) || !signature || rest.length > 0) return null;
  const expected = Buffer.from(sign(id));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected) ? id : null;
}
