// How long the e2e suite waits for work done in the background (the worker's
// jobs, the local Stripe server's webhook deliveries, the completer), defined
// once, and the test timeout such waits need.

/**
 * One budget for every wait on background work. Generous on purpose: a loaded
 * 2-core CI machine ran the worker's four steps in ~20 s, and a wait that runs
 * out fails CI by chance. A wait ends as soon as what it awaits is there, so a
 * healthy run takes no longer; what it awaits (the counts) stays exact. Waits
 * that show something does NOT happen keep their own fixed observation window.
 */
export const BACKGROUND_WORK_MS = 60_000;

/**
 * The timeout of a test that waits on background work `waits` times in a row:
 * each wait's whole budget on top of the time its own steps take (by default
 * playwright.config.ts's 60 s), so that no wait outlives its test.
 */
export const timeoutForBackgroundWaits = (waits: number, ownStepsMs = 60_000) => ownStepsMs + waits * BACKGROUND_WORK_MS;
