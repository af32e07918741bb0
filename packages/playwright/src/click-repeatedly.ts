// A person's double click: the mouse pressed at the button's place twice,
// about 100 ms apart. Not locator.click(), which waits until the button is
// enabled again: a person's second click on a disabled button is ignored by
// the browser, and that is the protection under test.
import type { Locator } from "@playwright/test";

export type ClickOptions = {
  /** How many clicks (2). */
  times?: number;
  /** The pause before each click after the first (100 ms), or one pause per click after the first. */
  gapMs?: number | readonly number[];
};

/** Clicks at `button`'s centre `times` times, `gapMs` apart, as a person does; the button is found once, before the first click. */
export async function clickRepeatedly(button: Locator, { times = 2, gapMs = 100 }: ClickOptions = {}): Promise<void> {
  const page = button.page();
  await button.scrollIntoViewIfNeeded();
  const box = await button.boundingBox();
  if (!box) throw new Error(`${button} has no box to click (is it visible?)`);
  for (let i = 0; i < times; i++) {
    if (i > 0) await page.waitForTimeout(typeof gapMs === "number" ? gapMs : (gapMs[i - 1] ?? gapMs.at(-1) ?? 0));
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  }
}

/** Two clicks at `button`'s centre, `gapMs` (100 ms) apart: a double click. */
export const clickTwice = (button: Locator, gapMs = 100): Promise<void> => clickRepeatedly(button, { times: 2, gapMs });
