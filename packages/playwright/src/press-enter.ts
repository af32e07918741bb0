// Enter in a form's field submits it: a person who is not sure it took presses
// it again. The browser sends the form however the submit button looks, so
// this is the story a disabled button alone does not stop.
import type { Locator } from "@playwright/test";

/** Focuses `field` (a field of the form or its submit button) and presses Enter `times` (2) times, `gapMs` (100 ms) apart. */
export async function pressEnterRepeatedly(field: Locator, { times = 2, gapMs = 100 }: { times?: number; gapMs?: number } = {}): Promise<void> {
  const page = field.page();
  await field.focus();
  for (let i = 0; i < times; i++) {
    if (i > 0) await page.waitForTimeout(gapMs);
    await page.keyboard.press("Enter");
  }
}
