// The Stripe client pins the API version the installed SDK was built for
// (lib/stripe-api-version.ts), so an account's default version never changes
// what the code receives; `prisma db seed` (prisma.config.ts) runs the seed.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import Stripe from "stripe";
import prismaConfig from "../prisma.config";
import { stripe } from "../lib/payments.server";
import { STRIPE_API_VERSION } from "../lib/stripe-api-version";

describe("Stripe client", () => {
  it("pins the SDK's own API version, and sends it", async () => {
    assert.equal(STRIPE_API_VERSION, Stripe.API_VERSION);
    const list = await stripe().paymentIntents.list({ limit: 1 });
    assert.equal(list.lastResponse.apiVersion, STRIPE_API_VERSION);
  });
});

describe("prisma db seed", () => {
  it("the configured seed command seeds the catalog", () => {
    const command = prismaConfig.migrations?.seed;
    assert.ok(command, "prisma.config.ts names a seed command");
    const run = spawnSync(command, { shell: true, env: process.env, encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /seeded \d+ products/);
  });
});
