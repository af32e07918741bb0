// The shop's settings reach payonce-stripe as flags (scripts/stripe-local-args.ts):
// started as `npm run dev` starts it, it keeps its state in data/ and sends
// webhooks to this app on PORT; the test runs' settings become their flags; a
// webhook secret of the operator's own is passed on, so the server refuses it;
// with the demo tools off, its control API is read-only. Every result is a
// command line the package itself accepts.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseCommandLine } from "@payonce/stripe-local";
import { stripeLocalArgs } from "../scripts/stripe-local-args";

/** The options payonce-stripe takes from the flags made of `env`. */
function optionsFor(env: Record<string, string | undefined>) {
  const parsed = parseCommandLine(stripeLocalArgs(env));
  assert.equal(parsed.help, false);
  return parsed.help ? {} : parsed.options;
}

describe("payonce-stripe's flags from the shop's settings", () => {
  it("nothing set: state in data/local-stripe.db, webhooks to the app on port 3000", () => {
    assert.deepEqual(optionsFor({}), { state: "file:data/local-stripe.db", webhookUrl: "http://127.0.0.1:3000/api/webhooks/stripe" });
  });

  it("beside an app on PORT=3456, webhooks go there", () => {
    assert.equal(optionsFor({ PORT: "3456" }).webhookUrl, "http://127.0.0.1:3456/api/webhooks/stripe");
  });

  it("the test runs' settings: port, host, state, no webhook URL, quick retries, latency, request timeout", () => {
    assert.deepEqual(
      optionsFor({
        LOCAL_STRIPE_PORT: "12113",
        LOCAL_STRIPE_HOST: "0.0.0.0",
        LOCAL_STRIPE_DB: ":memory:",
        LOCAL_STRIPE_WEBHOOK_URL: "",
        LOCAL_STRIPE_WEBHOOK_BACKOFF_MS: "100",
        LOCAL_STRIPE_LATENCY_MS: "250",
        LOCAL_STRIPE_REQUEST_TIMEOUT_MS: "2000",
        LOCAL_STRIPE_LOG_CONTROL: "1",
      }),
      { port: 12113, host: "0.0.0.0", state: "memory", latencyMs: 250, webhookBackoffMs: 100, requestTimeoutMs: 2000, logControl: true },
    );
  });

  it("STRIPE_WEBHOOK_SECRET is passed on (the server refuses any but its own), and DISABLE_DEMO_TOOLS makes the control API read-only", () => {
    const options = optionsFor({ STRIPE_WEBHOOK_SECRET: "whsec_a_real_endpoint_secret", DISABLE_DEMO_TOOLS: "true" });
    assert.equal(options.webhookSecret, "whsec_a_real_endpoint_secret");
    assert.equal(options.controlWrites, false);
    assert.equal(optionsFor({ DISABLE_DEMO_TOOLS: "false" }).controlWrites, undefined);
  });
});
