// A click before React has hydrated a form lands on the plain server-rendered
// HTML form (no lock, no key): a different story from a click after. A test
// that means "after" must wait for hydration itself, since Playwright's
// actionability checks pass as soon as the button is visible and enabled.
import type { Locator } from "@playwright/test";
import { poll } from "./poll.ts";

/** Resolves once React has hydrated `element` (its fiber is attached); throws after `timeoutMs` (15 s). */
export async function hydrated(element: Locator, { timeoutMs = 15_000 }: { timeoutMs?: number } = {}): Promise<void> {
  const { done } = await poll(
    () => element.evaluate((el) => Object.keys(el).some((k) => k.startsWith("__reactFiber"))).catch(() => false),
    (yes) => yes,
    { timeoutMs, intervalMs: 100 },
  );
  if (!done) throw new Error(`${element} was not hydrated by React within ${timeoutMs} ms`);
}
