// The secret the local Stripe server signs its webhook events with, and the
// app's STRIPE_WEBHOOK_SECRET in local mode. Public (it is in every clone), so
// it can vouch for nothing outside local mode: the local server signs with it
// and no other (local-stripe/server.ts), and with a STRIPE_SECRET_KEY the app
// requires a secret of its own (lib/env.server.ts). A module of its own so the
// local server need not import the app's settings module.
export const LOCAL_WEBHOOK_SECRET = "whsec_payonce_local";
