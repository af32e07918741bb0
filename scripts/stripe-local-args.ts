// The shop's settings (its environment, as `npm run dev`, `npm start` and the
// test runs set it) as the flags of payonce-stripe (@payonce/stripe-local),
// which reads no environment of its own. What is unset is left to the
// package's default, but for two: the state is kept in data/local-stripe.db,
// and webhooks go to this app's endpoint on PORT (LOCAL_STRIPE_WEBHOOK_URL
// elsewhere, or empty for none). STRIPE_WEBHOOK_SECRET becomes
// --webhook-secret, so a secret of the operator's own is refused (exit 1), as
// lib/env.server.ts requires one only in real mode, where this never runs.
import { z } from "zod";

const given = (value: string | undefined) => (value === undefined || value === "" ? undefined : value);

export function stripeLocalArgs(env: Record<string, string | undefined>): string[] {
  const file = env.LOCAL_STRIPE_DB ?? "data/local-stripe.db";
  const webhookUrl = env.LOCAL_STRIPE_WEBHOOK_URL ?? `http://127.0.0.1:${env.PORT || 3000}/api/webhooks/stripe`;
  const flags: [string, string | undefined][] = [
    ["--port", given(env.LOCAL_STRIPE_PORT)],
    ["--host", given(env.LOCAL_STRIPE_HOST)],
    ["--state", file === ":memory:" ? "memory" : `file:${file}`],
    ["--webhook-url", given(webhookUrl)],
    ["--webhook-secret", given(env.STRIPE_WEBHOOK_SECRET)],
    ["--latency-ms", given(env.LOCAL_STRIPE_LATENCY_MS)],
    ["--webhook-backoff-ms", given(env.LOCAL_STRIPE_WEBHOOK_BACKOFF_MS)],
    ["--request-timeout-ms", given(env.LOCAL_STRIPE_REQUEST_TIMEOUT_MS)],
  ];
  const args = flags.flatMap(([flag, value]) => (value === undefined ? [] : [flag, value]));
  // With the demo tools off, nobody may switch faults, endpoints or state.
  if (
    z
      .stringbool()
      .catch(false)
      .parse(env.DISABLE_DEMO_TOOLS ?? "false")
  )
    args.push("--read-only-control");
  if (given(env.LOCAL_STRIPE_LOG_CONTROL)) args.push("--log-control");
  return args;
}
