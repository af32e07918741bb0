// The Stripe client pins the API version the installed SDK was built for
// (lib/payments/stripe-api-version.ts), so an account's default version never changes
// what the code receives. Asserted on the options the client is made with: a
// request would not tell (the SDK sends its own default version when none is
// given, and the local server echoes whatever it receives). The local Stripe
// server (@payonce/stripe-local) answers as a version of its own: the same one.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { STRIPE_API_VERSION as LOCAL_STRIPE_API_VERSION } from "@payonce/stripe-local/api-version";
import Stripe from "stripe";
import { stripeClientOptions } from "../lib/payments/payments.server";
import { STRIPE_API_VERSION } from "../lib/payments/stripe-api-version";

const local = { host: "127.0.0.1", port: 12111 };

describe("Stripe client", () => {
  it("is made with the API version the installed SDK was built for, in local and real mode", () => {
    assert.equal(STRIPE_API_VERSION, Stripe.API_VERSION);
    assert.equal(stripeClientOptions({ mode: "local", local }).apiVersion, STRIPE_API_VERSION);
    assert.equal(stripeClientOptions({ mode: "stripe", local }).apiVersion, STRIPE_API_VERSION);
  });

  it("pins the version the local Stripe server answers as (its events, its Stripe-Version header)", () => {
    assert.equal(LOCAL_STRIPE_API_VERSION, STRIPE_API_VERSION);
  });

  it("talks to the local Stripe server in local mode only", () => {
    assert.deepEqual((({ host, port, protocol }) => ({ host, port, protocol }))(stripeClientOptions({ mode: "local", local })), { ...local, protocol: "http" });
    const real = stripeClientOptions({ mode: "stripe", local });
    assert.equal(real.host, undefined);
    assert.equal(real.protocol, undefined);
  });
});
