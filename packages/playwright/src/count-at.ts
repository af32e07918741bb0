// The source of truth is often behind a URL the app already has for its own
// tests or admin (GET /api/…/count): a count the test reads as the app sees it.
import type { Count } from "./settle.ts";

/**
 * A Count that GETs `url` and reads its JSON: a number, or the number `pick`
 * finds in it (by default, its `count` field). Fails on a non-2xx answer.
 */
export function countAt(
  url: string | URL,
  pick: (body: unknown) => unknown = (body) => (typeof body === "number" ? body : (body as { count?: unknown })?.count),
): Count {
  return async () => {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${await response.text()}`);
    const n = pick(await response.json());
    if (typeof n !== "number") throw new Error(`GET ${url} answered no count (${JSON.stringify(n)})`);
    return n;
  };
}
