// A lost response: the post reaches the server and is done there, but the
// connection fails before the answer reaches the page (a train into a
// tunnel). The page must say so and let the person send again; the server
// must see the second post as the first one again, not as a new one.
import type { Page } from "@playwright/test";
import { routeAnswers, type PostMatch } from "./answers.ts";

/**
 * The next matching post (POST to any URL by default) reaches the server; its
 * answer never reaches `page` (the connection is reset). Later posts are
 * answered as usual. `reached` resolves with the status the server answered.
 */
export async function loseNextAnswer(page: Page, match: PostMatch = {}): Promise<{ reached: Promise<number> }> {
  let reachedServer: (status: number) => void = () => {};
  const reached = new Promise<number>((resolve) => (reachedServer = resolve));
  const routed = await routeAnswers(page, match, async (route, response, index) => {
    if (index > 0) return route.fulfill({ response });
    reachedServer(response.status());
    await route.abort("connectionreset");
    await routed.stop();
  });
  return { reached };
}
