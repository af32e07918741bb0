// Every request a simulated client sends, and how it was answered. A client
// may get a final answer (2xx, 3xx, a 4xx problem) or a retryable one (a 503
// or 502 problem with Retry-After, a 409 "still running", a connection cut by
// a killed instance); anything else (an empty 500, a 5xx that is no problem
// document, no answer within HANG_MS) breaks the promise that every client
// hears back. Every request carries an X-Request-Id of its own, recorded
// with it: the server's log lines for it are found by it (server-logs.ts).
import { randomUUID } from "node:crypto";
import { TimeoutError } from "p-timeout";
import { fetchWithin } from "@payonce/stripe-local/fetch-within";
import type { Random } from "./random";

export const HANG_MS = 60_000;

export type Verdict = "final" | "retryable" | "broken";

export type Exchange = {
  /** Milliseconds since the campaign started, as the faults' times, and how long the answer took. */
  at: number;
  ms: number;
  client: string;
  /** The X-Request-Id it was sent with, and its Idempotency-Key if it had one. */
  requestId: string;
  key?: string;
  what: string;
  path: string;
  status: number | "cut" | "hang";
  verdict: Verdict;
  detail?: string;
};

export class Exchanges {
  readonly list: Exchange[] = [];

  constructor(
    /** Where requests go: an instance picked at random each time, as a load balancer would. */
    private readonly bases: string[],
    private readonly started: number,
  ) {}

  /**
   * Sends one request and records its verdict. `abortAfterMs` is the client
   * giving up early (a timeout, a reload): recorded as cut, the server carries on.
   */
  async send(
    random: Random,
    client: string,
    what: string,
    path: string,
    init: RequestInit = {},
    abortAfterMs = HANG_MS,
    browser = false,
  ): Promise<{ verdict: Verdict; response?: Response; body?: string }> {
    const url = /^https?:/.test(path) ? path : `${random.pick(this.bases)}${path}`;
    const requestId = randomUUID();
    const headers: Record<string, string> = { ...(init.headers as Record<string, string> | undefined), "x-request-id": requestId };
    const key = headers["idempotency-key"];
    init = { ...init, headers };
    // A browser says where a POST comes from; Server Actions refuse one that does not match.
    if (browser && init.method === "POST") init = { ...init, headers: { ...(init.headers as Record<string, string>), origin: new URL(url).origin } };
    const at = Date.now() - this.started;
    const record = (status: Exchange["status"], verdict: Verdict, detail?: string) =>
      this.list.push({
        at,
        ms: Date.now() - this.started - at,
        client,
        requestId,
        ...(key && { key }),
        what,
        path: new URL(url).pathname,
        status,
        verdict,
        ...(detail && { detail }),
      });
    let response: Response;
    let body: string;
    try {
      ({ response, body } = await fetchWithin(url, { redirect: "manual", ...init }, abortAfterMs));
    } catch (error) {
      const timedOut = error instanceof TimeoutError;
      if (timedOut && abortAfterMs >= HANG_MS) {
        record("hang", "broken", `no answer within ${HANG_MS / 1000} s`);
        return { verdict: "broken" };
      }
      record(
        "cut",
        "retryable",
        timedOut ? "the client gave up" : error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error),
      );
      return { verdict: "retryable" };
    }
    const verdict = verdictOf(response, body);
    record(response.status, verdict, verdict === "final" ? undefined : body.slice(0, 200));
    return { verdict, response, body };
  }

  count(verdict: Verdict) {
    return this.list.filter((e) => e.verdict === verdict).length;
  }
}

function verdictOf(response: Response, body: string): Verdict {
  // The API answers every refusal with a problem document; pages and form posts with HTML.
  const api = new URL(response.url).pathname.startsWith("/api/");
  const problem = response.headers.get("content-type")?.includes("application/problem+json") ?? false;
  if (response.status === 409 && body.includes("request-in-progress")) return "retryable";
  if (response.status === 502 || response.status === 503) return !api || (problem && response.headers.has("retry-after")) ? "retryable" : "broken";
  if (response.status >= 500) return "broken";
  if (response.status >= 400 && api && !problem) return "broken";
  return "final";
}
