// The same form open in two tabs of one browser (one session, one cookie): a
// person who lost track of the first tab sends it from the second too. Nothing
// on the page can stop that, since neither tab knows of the other: only the
// server can make the two posts one.
import type { Page } from "@playwright/test";
import { beforeAnyAnswer } from "./before-any-answer.ts";

export type TwoTabsStory = {
  /** The form's page. */
  url: string;
  /** Makes a tab ready to send (fills the form in; waits for hydration if it should). */
  fill: (tab: Page) => Promise<void>;
  /** Sends the form from a tab (a click or Enter). */
  submit: (tab: Page) => Promise<void>;
};

/**
 * Opens `url` in `page` and in a second tab of its browser context, fills both
 * in, then sends from the first and the second before either is answered
 * (beforeAnyAnswer, on both). Returns the second tab (close it when done).
 */
export async function submitFromTwoTabs(page: Page, { url, fill, submit }: TwoTabsStory): Promise<Page> {
  const second = await page.context().newPage();
  for (const tab of [page, second]) {
    await tab.goto(url);
    await fill(tab);
  }
  await beforeAnyAnswer(page, () =>
    beforeAnyAnswer(second, async () => {
      await submit(page);
      await submit(second);
    }),
  );
  return second;
}
