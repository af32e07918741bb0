// The crash tests' hooks (lib/orders/crash-points.ts), which app/ and scripts/ hand
// in: the process dies at the point PAYONCE_CRASH_AFTER or
// PAYONCE_JOB_CRASH_AFTER_STEP names (local mode only, lib/env.server.ts), or
// where the lab armed a crash of a session's next checkout.
import "server-only";
import { db } from "../db/db.server";
import { env } from "../env.server";
import { SessionEndedError } from "../db/attempts.server";
import type { CrashHook } from "../orders/crash-points";

/**
 * Dies as `kill -9` would: no cleanup, no answer, the lease kept. Under
 * `npm run dev` the whole `next dev` process group goes (its server alone
 * dying would leave `next dev` up and deaf), and scripts/dev-server.ts starts
 * it again, so the story goes on.
 */
function die(): never {
  process.kill(env().devSupervised ? 0 : process.pid, "SIGKILL");
  throw new Error("unreachable");
}

/** A checkout's hook: it dies right after PAYONCE_CRASH_AFTER's point, or after `armed` (the lab's crash, taken for this request). */
export const checkoutCrash =
  (armed?: string): CrashHook =>
  (point) => {
    if (env().crashAfter === point || armed === point) die();
  };

/** A job run's hook: the worker dies right after finishing PAYONCE_JOB_CRASH_AFTER_STEP's step. */
export const jobCrash = (): ((step: string) => void) => (step) => {
  if (env().jobs.crashAfterStep === step) die();
};

/** The lab: arms (or with null disarms) a crash of this session's next checkout at `point`. */
export async function armCrash(sessionId: string, point: string | null) {
  // requireSession stored the row; the reaper may have deleted it since.
  const { count } = await db.session.updateMany({ where: { id: sessionId }, data: { crashAfter: point } });
  if (count === 0) throw new SessionEndedError();
}

/** The crash armed for this session, if any (shown in the lab). */
export async function armedCrash(sessionId: string | null): Promise<string | null> {
  if (!sessionId) return null;
  return (await db.session.findUnique({ where: { id: sessionId }, select: { crashAfter: true } }))?.crashAfter ?? null;
}

/** The crash armed for this session, taken by the one request that will die of it (so its retry does not). */
export async function takeArmedCrash(sessionId: string): Promise<string | undefined> {
  if (!env().demoTools) return undefined;
  const point = await armedCrash(sessionId);
  if (!point) return undefined;
  const { count } = await db.session.updateMany({ where: { id: sessionId, crashAfter: point }, data: { crashAfter: null } });
  return count === 1 ? point : undefined;
}
