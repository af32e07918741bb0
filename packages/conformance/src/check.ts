// Runs every rule against one endpoint, one after another (their counts must
// not mix), and gathers the findings into a report. The first rule proves the
// request, its headers and the count work; if it fails, the others are not
// judged, since their evidence would say nothing.
import type { CountEffects } from "./effects.ts";
import { RULES, type Context, type Verdict } from "./rules.ts";

export type ConformanceOptions = {
  /** The endpoint, e.g. https://api.example.com/v1/orders. */
  url: string;
  /** Default POST. */
  method?: string;
  /** Sent with every request (Authorization, say); Content-Type defaults to application/json. */
  headers?: Record<string, string>;
  /** The request body; every {{unique}} in it is replaced by a new value for each request a rule makes. */
  body: string;
  /** A body the endpoint answers with an error (a declined card): checks that an error is replayed too. */
  errorBody?: string;
  /** Default true: a request without a key must be refused with 400. */
  keyRequired?: boolean;
  /** The header that marks a replay, "Name: value" (default "Idempotent-Replayed: true", Stripe's). */
  replayHeader?: string;
  /** How many effects the endpoint has made so far (orders, charges, rows): read before and after each rule. */
  countEffects: CountEffects;
  /** Identical requests sent at once (default 10). */
  concurrency?: number;
  /** Each request's time limit (default 10 000 ms). */
  timeoutMs?: number;
  /** How long a retry goes on while the answer is 409/425/429/503 (default 20 000 ms). */
  retryForMs?: number;
  /** When the lost-response rule hangs up, after its request is written (default 20 ms). */
  hangUpAfterMs?: number;
  /** How long after its retry the lost-response rule waits before counting (default 300 ms). */
  settleMs?: number;
};

export type RuleResult = { id: string; title: string; source: string; verdict: Verdict; evidence: string };
export type Report = { method: string; url: string; passed: boolean; results: RuleResult[] };

/** "Name: value" (or "Name", value "true") as a header and its value. */
export function parseReplayHeader(text: string): { name: string; value: string } {
  const [name = "", ...rest] = text.split(":");
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name.trim())) throw new Error(`Not a header name: "${name.trim()}".`);
  return { name: name.trim(), value: rest.length > 0 ? rest.join(":").trim() : "true" };
}

function contextOf(options: ConformanceOptions): Context {
  return {
    endpoint: {
      url: new URL(options.url).href,
      method: (options.method ?? "POST").toUpperCase(),
      headers: options.headers ?? {},
      timeoutMs: options.timeoutMs ?? 10_000,
      replayHeader: parseReplayHeader(options.replayHeader ?? "Idempotent-Replayed: true"),
    },
    count: options.countEffects,
    body: options.body,
    errorBody: options.errorBody,
    keyRequired: options.keyRequired ?? true,
    concurrency: options.concurrency ?? 10,
    retryForMs: options.retryForMs ?? 20_000,
    hangUpAfterMs: options.hangUpAfterMs ?? 20,
    settleMs: options.settleMs ?? 300,
  };
}

const why = (error: unknown) => (error instanceof Error ? `${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ""}` : String(error));

/** Checks the endpoint against every rule: a report with a finding for each. */
export async function checkConformance(options: ConformanceOptions): Promise<Report> {
  const ctx = contextOf(options);
  const results: RuleResult[] = [];
  for (const { check, ...rule } of RULES) {
    const first = results[0];
    if (first && first.verdict !== "pass") {
      results.push({ ...rule, verdict: "skip", evidence: `not judged: ${first.id} failed (check the URL, the headers, the body and the count)` });
      continue;
    }
    const finding = await check(ctx).catch((error: unknown) => ({ verdict: "fail" as const, evidence: `error: ${why(error)}` }));
    results.push({ ...rule, ...finding });
  }
  return { method: ctx.endpoint.method, url: ctx.endpoint.url, passed: results.every((r) => r.verdict !== "fail"), results };
}
