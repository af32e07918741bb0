// One request to the endpoint under test and its answer, read whole: what
// every rule sends (with global fetch), compares and quotes as evidence.
import { isDeepStrictEqual } from "node:util";

export type Exchange = { status: number; headers: Headers; body: string };

/** The endpoint, and how each request to it is made. */
export type Endpoint = {
  url: string;
  method: string;
  headers: Record<string, string>;
  timeoutMs: number;
  /** The response header that marks a replay, and its value (Stripe's `Idempotent-Replayed: true`). */
  replayHeader: { name: string; value: string };
};

/** Sends `body` with `key` as its Idempotency-Key (none when null), and reads the whole answer. */
export async function send(endpoint: Endpoint, key: string | null, body: string): Promise<Exchange> {
  const headers = new Headers(endpoint.headers);
  if (!headers.has("content-type")) headers.set("content-type", "application/json");
  if (key !== null) headers.set("idempotency-key", key);
  const response = await fetch(endpoint.url, { method: endpoint.method, headers, body, signal: AbortSignal.timeout(endpoint.timeoutMs) });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

export const isSuccess = (x: Exchange) => x.status >= 200 && x.status < 300;

/** Whether the answer says it is a replay (its header and value, case aside). */
export const isMarkedReplay = (endpoint: Endpoint, x: Exchange) =>
  x.headers.get(endpoint.replayHeader.name)?.trim().toLowerCase() === endpoint.replayHeader.value.toLowerCase();

/** The same answer: the same status and the same body (byte for byte, or the same JSON in another key order). */
export function sameAnswer(a: Exchange, b: Exchange): boolean {
  if (a.status !== b.status) return false;
  if (a.body === b.body) return true;
  try {
    return isDeepStrictEqual(JSON.parse(a.body), JSON.parse(b.body));
  } catch {
    return false;
  }
}

/** Text cut to `max` characters, on one line. */
export function trimmed(text: string, max = 60): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** An answer's status, with its replay marker and Retry-After if there: `409 [Retry-After: 1]`. */
export function headline(endpoint: Endpoint, x: Exchange): string {
  const marks = [
    isMarkedReplay(endpoint, x) ? `${endpoint.replayHeader.name}: ${endpoint.replayHeader.value}` : "",
    x.headers.has("retry-after") ? `Retry-After: ${x.headers.get("retry-after")}` : "",
  ].filter(Boolean);
  return `${x.status}${marks.length > 0 ? ` [${marks.join(", ")}]` : ""}`;
}

/** An answer as evidence: its headline and the start of its body. */
export const describe = (endpoint: Endpoint, x: Exchange) => `${headline(endpoint, x)} ${x.body ? trimmed(x.body) : "(empty body)"}`;

/** A second answer as evidence: "the same …" when it is the first one's, else in full. */
export const describeAgain = (endpoint: Endpoint, first: Exchange, again: Exchange) =>
  sameAnswer(first, again) ? `the same ${headline(endpoint, again)}` : describe(endpoint, again);

/** Statuses that mean "not yet, retry": in progress (409), too early (425), too many (429), unavailable (503). */
const NOT_YET = new Set([409, 425, 429, 503]);

/** How long an answer asks to wait (Retry-After in seconds or as a date), else `fallbackMs`. */
function retryAfterMs(x: Exchange, fallbackMs: number): number {
  const value = x.headers.get("retry-after");
  if (!value) return fallbackMs;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? fallbackMs : Math.max(0, date - Date.now());
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends the same request until its answer is final (not 409, 425, 429 or
 * 503), waiting as Retry-After asks, for at most `forMs`: a careful client's
 * retry. Returns every answer, the last one final unless time ran out.
 */
export async function retryUntilFinal(endpoint: Endpoint, key: string, body: string, forMs: number): Promise<Exchange[]> {
  const until = Date.now() + forMs;
  const answers: Exchange[] = [];
  for (;;) {
    const x = await send(endpoint, key, body);
    answers.push(x);
    const left = until - Date.now();
    if (!NOT_YET.has(x.status) || left <= 0) return answers;
    await sleep(Math.min(retryAfterMs(x, 250), left));
  }
}
