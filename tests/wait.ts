// Waiting on work done elsewhere (a process starting, a worker's job, webhook
// deliveries): one budget for every such wait. Generous on purpose: CI runs
// its two legs side by side on two cores, where starting a process under tsx
// alone has taken over 10 s, and a wait that runs out fails CI by chance. A
// wait ends as soon as what it awaits is there, so a healthy run is no slower;
// what a test then asserts stays exact.
import assert from "node:assert/strict";

export const BACKGROUND_WORK_MS = 60_000;

/** Resolves once `predicate` holds (checked every 100 ms); fails the test, naming `what`, after `budgetMs`. */
export async function until(predicate: () => boolean | Promise<boolean>, what: string, budgetMs = BACKGROUND_WORK_MS) {
  const deadline = Date.now() + budgetMs;
  for (;;) {
    if (await predicate()) return;
    if (Date.now() > deadline) assert.fail(`timed out after ${budgetMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
