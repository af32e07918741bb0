// The stories where the page never sees its answer (it is lost on the way, or
// the page is reloaded before it comes) are made by routing the page's posts:
// each post still goes to the server, once, as the browser sent it
// (route.fetch, redirects not followed), and the test decides what becomes of
// the answer. What the server did is done either way: that is the point.
import type { Page, Route } from "@playwright/test";

export type PostMatch = {
  /** Which requests (a glob or RegExp as page.route takes it; every one by default). */
  url?: string | RegExp;
  /** Their method (POST). */
  method?: string;
};

/**
 * Routes `page`'s matching requests: each reaches the server, then `answer`
 * decides what the page gets (the route and the server's status). Returns the
 * statuses the server answered, in order, and a function that removes the route.
 */
export async function routeAnswers(
  page: Page,
  { url = "**/*", method = "POST" }: PostMatch,
  answer: (route: Route, response: Awaited<ReturnType<Route["fetch"]>>, index: number) => Promise<void>,
): Promise<{ statuses: number[]; stop: () => Promise<void> }> {
  const statuses: number[] = [];
  const handler = async (route: Route) => {
    if (route.request().method() !== method.toUpperCase()) return route.fallback();
    const response = await route.fetch({ maxRedirects: 0 });
    const index = statuses.push(response.status()) - 1;
    await answer(route, response, index);
  };
  await page.route(url, handler);
  return { statuses, stop: () => page.unroute(url, handler) };
}
