// A session's demo switches, stored on its row. They count only where demo
// tools exist (local Stripe); everywhere else every layer is always on.
import "server-only";
import { db } from "../db.server";
import { env } from "../env.server";
import { ALL_ON, parseProtections, type Protections } from "./protections";

export function effectiveProtections(stored: string | null | undefined): Protections {
  return env().demoTools ? parseProtections(stored) : ALL_ON;
}

export async function sessionProtections(sessionId: string | null): Promise<Protections> {
  if (!sessionId) return ALL_ON;
  const session = await db.session.findUnique({ where: { id: sessionId }, select: { protections: true } });
  return effectiveProtections(session?.protections);
}

export async function saveProtections(sessionId: string, protections: Protections) {
  const data = { protections: JSON.stringify(protections) };
  await db.session.upsert({ where: { id: sessionId }, create: { id: sessionId, ...data }, update: data });
}
