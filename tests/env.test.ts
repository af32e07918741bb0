// Settings (lib/env.server.ts): a real Stripe key never runs with the local,
// publicly known webhook secret.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadEnv } from "../lib/env.server";

describe("settings", () => {
  const SESSION_SECRET = "a".repeat(32);

  it("a Stripe key without STRIPE_WEBHOOK_SECRET or SESSION_SECRET is refused, saying what to set", () => {
    assert.throws(() => loadEnv({ STRIPE_SECRET_KEY: "sk_test_abc", SESSION_SECRET }), /required when STRIPE_SECRET_KEY is set:\n✖ STRIPE_WEBHOOK_SECRET/);
    assert.throws(() => loadEnv({ STRIPE_SECRET_KEY: "sk_live_abc", STRIPE_WEBHOOK_SECRET: "whsec_real" }), /✖ SESSION_SECRET/);
  });

  it("a Stripe key with its secrets is real Stripe mode, with no demo tools", () => {
    const env = loadEnv({ STRIPE_SECRET_KEY: "sk_test_abc", STRIPE_WEBHOOK_SECRET: "whsec_real", SESSION_SECRET });
    assert.equal(env.stripe.mode, "stripe");
    assert.equal(env.stripe.webhookSecret, "whsec_real");
    assert.equal(env.demoTools, false);
  });

  it("local mode uses the local server's default secret", () => {
    const env = loadEnv({});
    assert.equal(env.stripe.mode, "local");
    assert.equal(env.stripe.webhookSecret, "whsec_payonce_local");
  });

  it("webhook events are kept at least 3 days (Stripe redelivers for three): less is refused, saying why", () => {
    assert.throws(
      () => loadEnv({ WEBHOOK_EVENT_RETENTION_DAYS: "1" }),
      /at least 3: Stripe redelivers an event for up to three days\n  → at WEBHOOK_EVENT_RETENTION_DAYS/,
    );
    assert.equal(loadEnv({ WEBHOOK_EVENT_RETENTION_DAYS: "3" }).retention.webhookEventDays, 3);
  });
});
