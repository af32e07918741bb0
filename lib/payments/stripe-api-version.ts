// The Stripe API version this shop is written against: the one the installed
// `stripe` SDK was built for (its types describe that version's objects, and
// `satisfies` below stops typecheck when an SDK upgrade moves on). The client
// pins it (lib/payments/payments.server.ts), so an account's default version never
// changes what the code receives. The local Stripe server (@payonce/stripe-local)
// answers as a version of its own: tests/stripe-client.test.ts checks it is this one.
import type Stripe from "stripe";

export const STRIPE_API_VERSION = "2026-11-18.endive" satisfies Stripe.LatestApiVersion;
