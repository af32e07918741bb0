// The three ways a person sends a form twice, for the stories of every
// protected form: two clicks ~100 ms apart, Enter pressed twice, and two
// clicks before the page hydrated (the plain server-rendered form). Each
// story runs protected (one row) and unprotected (the duplicate).
import type { Locator, Page } from "@playwright/test";
import { beforeAnyAnswer, expect, holdScripts, MODES, settledCount, test, told, type Mode, type Shopper } from "./fixtures";

export const WAYS = ["two clicks ~100 ms apart", "Enter twice", "two clicks before the page hydrated"] as const;
export type Way = (typeof WAYS)[number];

/** Resolves once React has hydrated the element (its fiber is attached). */
export async function hydrated(element: Locator) {
  await expect.poll(() => element.evaluate((el) => Object.keys(el).some((k) => k.startsWith("__reactFiber")))).toBe(true);
}

/** Two clicks at the button's place, ~100 ms apart, as a person double-clicks. */
export async function clickTwice(page: Page, button: Locator) {
  await button.scrollIntoViewIfNeeded();
  const box = (await button.boundingBox())!;
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForTimeout(100);
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
}

export type FormStory = {
  /** Prepares the story's data in `mode` and returns the page the form is on. */
  setUp: (shopper: Shopper, mode: Mode) => Promise<string>;
  /** Fills the form in (the page is open). */
  fill: (page: Page) => Promise<void>;
  /** The submit button's test id. */
  button: string;
  /** The rows one submit makes (reviews, links, refunds). */
  count: () => Promise<number>;
  /** "one review", "a duplicate review". */
  one: string;
  duplicate: string;
};

/** The stories of one form: each way of sending it twice, in each mode. */
export function doubleSubmitStories(form: string, story: FormStory) {
  for (const mode of MODES) {
    for (const way of WAYS) {
      test(told(mode, `${form}, ${mode}: ${way}`, story.one, story.duplicate), async ({ shopper, page }, testInfo) => {
        const url = await story.setUp(shopper, mode);
        let release = () => {};
        if (way === WAYS[2]) {
          release = await holdScripts(page);
          await page.goto(url, { waitUntil: "domcontentloaded" });
        } else {
          await page.goto(url);
          await hydrated(page.getByTestId(story.button));
        }
        await story.fill(page);
        // A slow network: the second submit comes before the first one's answer.
        const button = page.getByTestId(story.button);
        await beforeAnyAnswer(page, async () => {
          if (way === WAYS[1]) {
            await button.focus();
            await page.keyboard.press("Enter");
            await page.waitForTimeout(100); // a person pressing twice
            await page.keyboard.press("Enter");
          } else {
            await clickTwice(page, button);
          }
        });
        // Unprotected, the duplicate's row comes (both posts were on the server before either was answered).
        if (mode === "unprotected") await expect.poll(story.count).toBeGreaterThan(1);
        const count = await settledCount(story.count);
        release();
        if (process.env.PAYONCE_SCENARIOS) await testInfo.attach("rows", { body: String(count), contentType: "text/plain" });
        if (mode === "protected") expect(count).toBe(1);
        else if (mode === "unprotected") expect(count).toBeGreaterThan(1);
      });
    }
  }
}
