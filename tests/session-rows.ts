// Test tools (e2e, chaos) switch a browser session's layers right after its
// first page, before any write of its own stored the row: they store the row
// first, as that write would (saveProtections itself only updates a row, as
// the demo panel's action finds it stored by requireSession).
import { db } from "../lib/db/db.server";
import type { Protections } from "../lib/demo/protections";
import { saveProtections } from "../lib/demo/protections.server";
import { sessionExpiry } from "../lib/sessions/session-cookie.server";

export async function switchLayers(sessionId: string, protections: Protections) {
  await db.session.upsert({ where: { id: sessionId }, create: { id: sessionId, expiresAt: sessionExpiry() }, update: {} });
  await saveProtections(sessionId, protections);
}
