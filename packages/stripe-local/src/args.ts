// The command line (node:util parseArgs) turned into start()'s options. Wrong
// usage throws a UsageError, which the command answers with exit code 2. No
// environment variable is read: a project that keeps its settings there maps
// them to these flags itself.
import { parseArgs } from "node:util";
import { DEFAULT_PORT, type StartOptions } from "./options.ts";
import { LOCAL_WEBHOOK_SECRET, TEST_WEBHOOK_SECRET_PREFIX } from "./webhook-secret.ts";

export class UsageError extends Error {}

export const HELP = `Usage: payonce-stripe [options]

A Stripe-compatible server for development and tests: point the stripe SDK at
it (host, port, protocol "http") with any sk_test_… key; each key is an account
of its own. It answers PaymentIntents, refunds, charges, customers, payment
methods and events with Stripe's shapes, errors and idempotency rules, sends
signed webhook events, and takes faults through its control API (/_control/…).

Options:
      --port <n>                  where it listens (default ${DEFAULT_PORT}; 0: a free port)
      --host <address>            the address it listens on (default 127.0.0.1; the control
                                  API has no key, so keep it on loopback)
      --webhook-url <url>         POST every event there, signed (default: none; the
                                  control API can add endpoints)
      --webhook-secret <secret>   what those events are signed with: ${LOCAL_WEBHOOK_SECRET}
                                  (the default) or a test's ${TEST_WEBHOOK_SECRET_PREFIX}…;
                                  any other is refused (exit 1)
      --state memory|file:<path>  memory (the default) forgets everything when it stops;
                                  a SQLite file keeps objects, keys and events across restarts
      --latency-ms <n>            added before every API answer (default 0)
      --webhook-backoff-ms <n>    the first wait between webhook tries, doubled each time
                                  (default 500)
      --request-timeout-ms <n>    a request not all in within this is a 408 (default 30000)
      --read-only-control         the control API answers reads only (403 for the rest)
      --log-control               log control requests too
  -h, --help                      this text

No environment variable is read.

Exit code: 0 when stopped (SIGINT, SIGTERM), 1 when it cannot start, 2 for wrong usage.

Example:
  npx payonce-stripe --port 12111 --webhook-url http://127.0.0.1:3000/api/webhooks/stripe
  curl -u sk_test_123: localhost:12111/v1/payment_intents -d amount=2000 -d currency=usd
  curl -X POST localhost:12111/_control/faults -d '{"latencyMs": 1500}'
`;

function count(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${flag} takes a whole number, not "${value}"`);
  return Number(value);
}

export function parseCommandLine(argv: string[]): { help: true } | { help: false; options: StartOptions } {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        "webhook-url": { type: "string" },
        "webhook-secret": { type: "string" },
        state: { type: "string" },
        "latency-ms": { type: "string" },
        "webhook-backoff-ms": { type: "string" },
        "request-timeout-ms": { type: "string" },
        "read-only-control": { type: "boolean" },
        "log-control": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message.split("\n")[0]);
  }
  if (values.help) return { help: true };
  const state = values.state;
  if (state !== undefined && state !== "memory" && !/^file:.+/.test(state)) throw new UsageError(`--state takes memory or file:<path>, not "${state}"`);
  const options: StartOptions = {
    port: count("port", values.port),
    host: values.host,
    webhookUrl: values["webhook-url"],
    webhookSecret: values["webhook-secret"],
    state,
    latencyMs: count("latency-ms", values["latency-ms"]),
    webhookBackoffMs: count("webhook-backoff-ms", values["webhook-backoff-ms"]),
    requestTimeoutMs: count("request-timeout-ms", values["request-timeout-ms"]),
    controlWrites: values["read-only-control"] ? false : undefined,
    logControl: values["log-control"],
  };
  // Only what was given: start() fills in the rest.
  return { help: false, options: Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as StartOptions };
}
