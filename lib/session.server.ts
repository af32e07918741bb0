// The current visitor's session: the scope of their idempotency keys, carts
// and orders. The cookie is minted by proxy.ts; the row is created on first write.
import "server-only";
import { cookies } from "next/headers";
import { db } from "./db.server";
import { RefusedInput } from "./refused-input";
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
  const session = await db.session.upsert({ where: { id }, create: { id }, update: {} });
  return { id, protections: effectiveProtections(session.protections) };
}
