// The current visitor's session: the scope of their idempotency keys, carts
// and orders. The cookie is minted by proxy.ts; the row is created on first write.
import "server-only";
import { cookies } from "next/headers";
import { db, isUniqueViolation } from "./db.server";
import { env } from "./env.server";
import { RefusedInput } from "@payonce/kit";
import { effectiveProtections } from "./demo/protections.server";
import type { Protections } from "./demo/protections";
import { SESSION_COOKIE, sessionIdFromCookie } from "./session-cookie.server";

export class NoSessionError extends RefusedInput {
  constructor() {
    super("Your session cookie is missing. Enable cookies and reload the page.");
  }
}

export async function currentSessionId(): Promise<string | null> {
  return sessionIdFromCookie((await cookies()).get(SESSION_COOKIE)?.value);
}

/** The session row for this visitor, created if needed. */
export async function requireSession(): Promise<{ id: string; protections: Protections }> {
  const id = await currentSessionId();
  if (!id) throw new NoSessionError();
  const session = await storedSession(id);
  return { id, protections: effectiveProtections(session.protections) };
}

/** When a session begun now ends (its cookie's max-age is the same lifetime). */
export const sessionExpiry = (now = Date.now()) => new Date(now + env().limits.sessionLifetimeMs);

/**
 * The row of a session whose cookie we minted, created on its first use. A
 * new visitor's first requests may come at once (two tabs): Prisma's upsert
 * reads, then inserts, so one of them may find the row inserted meanwhile.
 */
export async function storedSession(id: string) {
  try {
    return await db.session.upsert({ where: { id }, create: { id, expiresAt: sessionExpiry() }, update: {} });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return db.session.findUniqueOrThrow({ where: { id } });
  }
}
