// Process groups, as the supervisor (scripts/supervise.ts) and `npm run dev`'s
// web server (scripts/dev-server.ts) stop them: a signal to the whole group,
// and what a child may tell the supervisor about a group of its own.

/** Sends `signal` to process group `group`: false if nothing is left in it. */
export function signalGroup(group: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-group, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Sends `signal` to process group `group`, and SIGKILL after `graceMs` if
 * anything is left in it then: false if nothing was left to signal.
 */
export function stopGroup(group: number, signal: NodeJS.Signals, graceMs: number): boolean {
  if (!signalGroup(group, signal)) return false;
  setTimeout(() => signalGroup(group, "SIGKILL"), graceMs).unref();
  return true;
}

/**
 * The process group a child reports on its IPC channel (`{ group }`,
 * scripts/dev-server.ts), if `message` is such a report; anything else is
 * ignored. Stopping signals the group whole (kill(-group)): 1 would be every
 * process of the user, 0 the supervisor's own group, below 0 a single process.
 */
export function reportedGroup(message: unknown): number | undefined {
  if (typeof message !== "object" || message === null || !("group" in message)) return undefined;
  const { group } = message;
  return Number.isSafeInteger(group) && (group as number) > 1 ? (group as number) : undefined;
}
