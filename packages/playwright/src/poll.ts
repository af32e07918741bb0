// The one wait of the package: ask again every `intervalMs` until an answer is
// good or the time is up, and give back the last answer either way. No sleep
// stands in for "long enough": every helper waits on what it can observe, and
// says what it observed when it gives up. (It needs no test runner: the
// helpers work in a plain script with playwright's browser too.)
export type PollOptions = { timeoutMs: number; intervalMs: number };

/** The first answer `good` accepts, or the last one when `timeoutMs` ran out (`done` says which). */
export async function poll<T>(
  ask: () => Promise<T>,
  good: (answer: T) => boolean,
  { timeoutMs, intervalMs }: PollOptions,
): Promise<{ answer: T; done: boolean }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await ask();
    if (good(answer)) return { answer, done: true };
    if (Date.now() >= deadline) return { answer, done: false };
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
