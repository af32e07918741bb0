// A session's demo switches, stored on its row. They count only where demo
// tools exist (local Stripe); everywhere else every layer is always on.
import "server-only";
import { db } from "../db/db.server";
import { env } from "../env.server";
import { SessionEndedError } from "../db/attempts.server";
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
  // requireSession stored the row; the reaper may have deleted it since.
  const { count } = await db.session.updateMany({ where: { id: sessionId }, data });
  if (count === 0) throw new SessionEndedError();
}
