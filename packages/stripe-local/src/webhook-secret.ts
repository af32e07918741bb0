// The secrets this server signs webhook events with. It signs whatever it is
// told to for anyone who can reach it, so it must never hold a real
// endpoint's secret: it would make events the app takes for real Stripe's.
// Its own secret is public (it is in this package), an app in local mode
// trusts it, and one named as a test's (whsec_payonce_test_…: a suite that
// proves events are signed with the endpoint's own secret) is allowed too. A
// real endpoint's secret is `whsec_` and letters and digits, never that prefix.
export const LOCAL_WEBHOOK_SECRET = "whsec_payonce_local";
export const TEST_WEBHOOK_SECRET_PREFIX = "whsec_payonce_test_";

export const isLocalSigningSecret = (secret: string) => secret === LOCAL_WEBHOOK_SECRET || secret.startsWith(TEST_WEBHOOK_SECRET_PREFIX);

/** Why `secret` is refused, in words a user can act on. */
export const SIGNING_SECRET_RULE = `this server signs with its public ${LOCAL_WEBHOOK_SECRET} (or a test's ${TEST_WEBHOOK_SECRET_PREFIX}…) only, never a real endpoint's secret`;
