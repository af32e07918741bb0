// Reload mid-submit: the person sends the form, nothing seems to happen, and
// they reload the page. The post was on the server already; its answer comes
// to a page that is gone. Whatever the reloaded page shows, sending the form
// from it again must not do the work twice.
import type { Page } from "@playwright/test";
import { routeAnswers, type PostMatch } from "./answers.ts";

/**
 * Runs `submit` (a click or Enter), waits until its post has reached the
 * server and been answered there, and reloads `page` before that answer
 * reaches it. Resolves with the status the server answered, once the reloaded
 * page has loaded.
 */
export async function reloadMidSubmit(page: Page, submit: () => Promise<void>, match: PostMatch = {}): Promise<number> {
  let reachedServer: (status: number) => void = () => {};
  const reached = new Promise<number>((resolve) => (reachedServer = resolve));
  let pageGone = () => {};
  const gone = new Promise<void>((resolve) => (pageGone = resolve));
  const routed = await routeAnswers(page, match, async (route, response) => {
    reachedServer(response.status());
    await gone;
    await route.fulfill({ response }).catch(() => {}); // the page that asked is gone
  });
  try {
    await submit();
    const status = await reached;
    // (page.reload() would wait for the pending post's navigation too, and report it aborted.)
    await page.goto(page.url());
    return status;
  } finally {
    pageGone();
    await routed.stop();
  }
}
