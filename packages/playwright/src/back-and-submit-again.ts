// Back and submit again: the form was sent and answered with another page;
// the person presses Back, finds the form (often still filled in, from the
// browser's back-forward cache) and sends it again. A second post, a
// different request, the same intent: the server must see it as the first.
import type { Page } from "@playwright/test";

/**
 * Sends the form with `submit` (fill it in too, if Back may show it empty),
 * waits for the answer (`answered`: by default, until the page has left the
 * form's URL), goes Back, and sends it again with `submit`.
 */
export async function backAndSubmitAgain(
  page: Page,
  submit: (page: Page) => Promise<void>,
  { answered }: { answered?: (page: Page) => Promise<void> } = {},
): Promise<void> {
  const form = page.url();
  await submit(page);
  await (answered ? answered(page) : page.waitForURL((url) => url.href !== form));
  await page.goBack();
  await submit(page);
}
