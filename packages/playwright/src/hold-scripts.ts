// Before the page's scripts run, its form is the plain HTML the server sent:
// no click handler, no disabled button, no key made in the browser. A person
// on a slow connection clicks it then. Holding the scripts back makes that
// moment last as long as the test needs, on any machine.
import type { Page } from "@playwright/test";

/** Next.js's client chunks: what hydrates a Next app. */
export const NEXT_CHUNKS = /\/_next\/static\/chunks\/.*\.js/;

/**
 * Holds back every script `page` asks for that matches `scripts` (Next.js's
 * chunks) until the returned function is called.
 */
export async function holdScripts(page: Page, scripts: RegExp | string = NEXT_CHUNKS): Promise<() => void> {
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(scripts, async (route) => {
    await held;
    await route.continue().catch(() => {}); // the page may be gone by then
  });
  return release;
}

/** Opens `url` with its scripts held (holdScripts): the page is its server-rendered HTML until the returned function is called. */
export async function openBeforeHydration(page: Page, url: string, scripts: RegExp | string = NEXT_CHUNKS): Promise<() => void> {
  const release = await holdScripts(page, scripts);
  await page.goto(url, { waitUntil: "domcontentloaded" });
  return release;
}
