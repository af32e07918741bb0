// Where Stripe sends a customer back after 3-D Secure (lib/payments/return-url.server.ts):
// the origin they paid from when it is one of the shop's own, PUBLIC_URL for
// anything a client made up, and the completer keeps what the attempt chose.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, it } from "node:test";
import { checkout } from "../lib/orders/checkout.server";
import { loadEnv } from "../lib/env.server";
import { SimulatedCrash } from "@payonce/kit";
import { completeAbandoned } from "../lib/worker/maintenance.server";
import { checkoutReturnUrl } from "../lib/payments/return-url.server";
import { expireLease, newCart, newSession, paymentTruth, stopAfter } from "./helpers";
import { authenticate } from "./local-stripe-control";

const local = loadEnv({ PORT: "3000", PUBLIC_URL: "http://127.0.0.1:3000" });
const real = loadEnv({
  PORT: "3000",
  PUBLIC_URL: "https://shop.example.com",
  STRIPE_SECRET_KEY: "sk_test_abc",
  STRIPE_WEBHOOK_SECRET: "whsec_real",
  SESSION_SECRET: "a".repeat(32),
});
const returnUrl = (headers: Record<string, string>, settings = local) => checkoutReturnUrl(new Headers(headers), settings);

describe("3-D Secure return URL", () => {
  it("local mode: back to the loopback origin the customer paid from, on the app's port", () => {
    for (const origin of ["http://localhost:3000", "http://127.0.0.1:3000", "http://[::1]:3000"]) {
      assert.equal(returnUrl({ origin, host: "anything" }), `${origin}/checkout/return`);
    }
    // An API client without Origin: its Host, if it is one of ours.
    assert.equal(returnUrl({ host: "localhost:3000" }), "http://localhost:3000/checkout/return");
  });

  it("a hostile Host, Origin or X-Forwarded-Host is never used: PUBLIC_URL instead", () => {
    const hostile: Record<string, string>[] = [
      { host: "evil.example" },
      { host: "evil.example", origin: "http://evil.example" },
      { host: "localhost:3000", origin: "https://evil.example" },
      { host: "127.0.0.1:3000", "x-forwarded-host": "evil.example", origin: "http://evil.example:3000" },
      { host: "localhost:3000@evil.example" },
      { origin: "http://localhost:4000" }, // another port: another app
      { origin: "null" },
      {},
    ];
    for (const headers of hostile) assert.equal(returnUrl(headers), "http://127.0.0.1:3000/checkout/return", JSON.stringify(headers));
  });

  it("real mode: PUBLIC_URL whatever the request says", () => {
    for (const origin of ["http://localhost:3000", "http://127.0.0.1:3000", "https://evil.example"]) {
      assert.equal(returnUrl({ origin, host: "localhost:3000" }, real), "https://shop.example.com/checkout/return");
    }
  });

  it("an attempt the completer finishes sends the customer back to the origin the attempt was made from", async () => {
    const session = await newSession();
    const cart = await newCart(session.id);
    const paidFrom = "http://[::1]:3000/checkout/return";
    const req = {
      session,
      idempotencyKey: randomUUID(),
      input: { cartId: cart.id, email: "r@example.com", paymentMethod: "pm_card_threeDSecure2Required" as const },
      returnUrl: paidFrom,
    };
    // The process dies once Stripe has the PaymentIntent, before it was recorded: the completer repeats that call.
    await assert.rejects(checkout({ ...req, crashAfter: stopAfter("charge_sent") }), SimulatedCrash);
    await expireLease(session.id, req.idempotencyKey);
    const { completed } = await completeAbandoned();
    assert.ok(completed >= 1);
    const later = await checkout(req);
    assert.ok(later.kind === "completed" && later.outcome.kind === "awaiting_payment" && later.outcome.nextAction, JSON.stringify(later));
    const back = await authenticate(later.outcome.nextAction.url, "complete");
    assert.equal(`${new URL(back).origin}${new URL(back).pathname}`, paidFrom);
  });

  it("a retry from another of the shop's origins resumes the attempt as it began: the same order and PaymentIntent, back to the first origin", async () => {
    const session = await newSession();
    const cart = await newCart(session.id);
    const paidFrom = "http://localhost:3000/checkout/return";
    const req = {
      session,
      idempotencyKey: randomUUID(),
      input: { cartId: cart.id, email: "o@example.com", paymentMethod: "pm_card_threeDSecure2Required" as const },
      returnUrl: paidFrom,
    };
    // Stripe has the PaymentIntent (return_url: the first origin); the process died before recording it.
    await assert.rejects(checkout({ ...req, crashAfter: stopAfter("charge_sent") }), SimulatedCrash);
    await expireLease(session.id, req.idempotencyKey);
    // The client retries with the same key from another Host: Stripe must get the very same request again.
    const retry = await checkout({ ...req, returnUrl: "http://127.0.0.1:3000/checkout/return" });
    assert.ok(retry.kind === "completed" && retry.outcome.kind === "awaiting_payment" && retry.outcome.nextAction, JSON.stringify(retry));
    const { orders, intents } = await paymentTruth(session.id);
    assert.equal(orders.length, 1, "one order");
    assert.equal(intents.length, 1, "one PaymentIntent");
    assert.equal(retry.outcome.order.paymentIntentId, intents[0]!.id);
    const back = await authenticate(retry.outcome.nextAction.url, "complete");
    assert.equal(`${new URL(back).origin}${new URL(back).pathname}`, paidFrom);
  });
});
