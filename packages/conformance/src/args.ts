// The command line (node:util parseArgs) turned into the checker's options:
// the endpoint, its body and headers, how effects are counted, the limits.
// Wrong usage throws a UsageError, which the CLI answers with exit code 2.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { ConformanceOptions } from "./check.ts";
import { countFromCommand, countFromUrl } from "./effects.ts";
import { RULES } from "./rules.ts";
import { DRAFT } from "./table.ts";

export class UsageError extends Error {}

export const HELP = `Usage: payonce-conformance <url> --body <json|@file> (--count-url <url> | --count-command <cmd>) [options]

Checks an endpoint that takes an Idempotency-Key against ${DRAFT}
and Stripe's practice. Every rule uses a new key and fresh business data: each
{{unique}} in the body becomes a new value. Effects (orders, charges, rows) are
counted before and after each rule through what you give: a URL or a command.

Request:
  -X, --method <method>         HTTP method (default POST)
  -H, --header <"Name: value">  a header for every request (repeat it), e.g. Authorization
  -d, --body <json|@file>       the request body, with {{unique}} where a value must be new
      --error-body <json|@file> a body the endpoint answers with an error (a declined card),
                                to check that an error is replayed too
      --key-optional            the endpoint does not require a key (no 400 expected without one)
      --replay-header <"Name: value">
                                what marks a replay (default "Idempotent-Replayed: true")

Counting effects (one of):
      --count-url <url>         GET answers a count: a number, JSON {"count": n}, an array, or
                                the value at --count-path
      --count-header <"Name: value">  a header for the count URL (repeat it)
      --count-command <command> a shell command that prints the count
      --count-path <path>       where the count is in a JSON answer: data.total (an array
                                there counts its members)

Limits:
      --concurrency <n>         identical requests sent at once (default 10)
      --timeout <ms>            each request's time limit (default 10000)
      --retry-for <ms>          how long a retry goes on through 409/425/429/503 (default 20000)
      --hang-up-after <ms>      the lost response: hang up this long after sending (default 20)
      --settle <ms>             the lost response: wait this long before counting (default 300)

Output:
      --json                    the report as JSON (rules, verdicts, evidence)
  -h, --help                    this text

Rules:
${RULES.map((r) => `  ${r.id.padEnd(18)}${r.title} (${r.source})`).join("\n")}

Exit code: 0 when no rule failed, 1 when one did, 2 for wrong usage.

Example (PayOnce's shop under npm run dev, counting its local Stripe server's PaymentIntents):
  TOKEN=$(curl -s -X POST localhost:3000/api/sessions | jq -r .token)
  npx payonce-conformance http://localhost:3000/api/orders \\
    -H "Authorization: Bearer $TOKEN" \\
    -d '{"email":"c-{{unique}}@example.com","items":[{"slug":"mug","quantity":1}],"paymentMethod":"pm_card_visa"}' \\
    --error-body '{"email":"d-{{unique}}@example.com","items":[{"slug":"mug","quantity":1}],"paymentMethod":"pm_card_chargeDeclined"}' \\
    --count-url 'http://localhost:12111/_control/ledger?account=sk_test_payonce_local' --count-path paymentIntents
`;

export type Parsed = { help: true } | { help: false; json: boolean; options: ConformanceOptions };

/** "Name: value" headers as a record. */
function headersOf(values: string[] = []): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const value of values) {
    const colon = value.indexOf(":");
    if (colon < 1) throw new UsageError(`A header is "Name: value", not "${value}".`);
    headers[value.slice(0, colon).trim()] = value.slice(colon + 1).trim();
  }
  return headers;
}

/** A body given inline, or @file (as curl takes it). */
function bodyOf(value: string): string {
  if (!value.startsWith("@")) return value;
  try {
    return readFileSync(value.slice(1), "utf8");
  } catch (error) {
    throw new UsageError(`Cannot read ${value.slice(1)}: ${(error as Error).message}`);
  }
}

/** A whole number of at least `least`, or the default when not given. */
function numberOf(name: string, value: string | undefined, fallback: number, least = 0): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < least) throw new UsageError(`--${name} takes a whole number of at least ${least}, not "${value}".`);
  return n;
}

export function parseCommandLine(argv: string[]): Parsed {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        method: { type: "string", short: "X" },
        header: { type: "string", short: "H", multiple: true },
        body: { type: "string", short: "d" },
        "error-body": { type: "string" },
        "key-optional": { type: "boolean" },
        "replay-header": { type: "string" },
        "count-url": { type: "string" },
        "count-header": { type: "string", multiple: true },
        "count-command": { type: "string" },
        "count-path": { type: "string" },
        concurrency: { type: "string" },
        timeout: { type: "string" },
        "retry-for": { type: "string" },
        "hang-up-after": { type: "string" },
        settle: { type: "string" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true };
  if (positionals.length !== 1) throw new UsageError("Give the endpoint's URL, once.");
  const url = positionals[0]!;
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) throw new UsageError(`Not an http(s) URL: "${url}".`);
  if (values.body === undefined) throw new UsageError("Give the request body: --body '{…}' or --body @file.json.");
  if (!values["count-url"] === !values["count-command"]) throw new UsageError("Give one way to count effects: --count-url or --count-command.");

  const timeoutMs = numberOf("timeout", values.timeout, 10_000, 1);
  const source = { path: values["count-path"], timeoutMs };
  const countEffects = values["count-url"]
    ? countFromUrl(values["count-url"], headersOf(values["count-header"]), source)
    : countFromCommand(values["count-command"]!, source);
  return {
    help: false,
    json: values.json ?? false,
    options: {
      url,
      method: values.method,
      headers: headersOf(values.header),
      body: bodyOf(values.body),
      errorBody: values["error-body"] === undefined ? undefined : bodyOf(values["error-body"]),
      keyRequired: !values["key-optional"],
      replayHeader: values["replay-header"],
      countEffects,
      concurrency: numberOf("concurrency", values.concurrency, 10, 2),
      timeoutMs,
      retryForMs: numberOf("retry-for", values["retry-for"], 20_000),
      hangUpAfterMs: numberOf("hang-up-after", values["hang-up-after"], 20),
      settleMs: numberOf("settle", values.settle, 300),
    },
  };
}
