// @payonce/stripe-local: a Stripe-compatible server to develop and test
// against, started from code (start) as the command line starts it (main,
// payonce-stripe), with the constants an app needs to agree with it (the API
// version it answers as, the public secret it signs webhook events with), the
// control API's fault shapes, and a test's hand on its 3-D Secure page.
export { KNOWN_API_VERSIONS, STRIPE_API_VERSION } from "./api-version.ts";
export { HELP, parseCommandLine, UsageError } from "./args.ts";
export { answerAuthentication, authenticate, type AuthenticationAction } from "./authenticate.ts";
export { FAILURE_MODES, type FailureMode, type FaultsRequest, type FaultsSnapshot, type PathFault, type WebhookFaults } from "./faults.ts";
export { main } from "./main.ts";
export { DEFAULT_PORT, OptionsError, RefusedSecretError, type StartOptions } from "./options.ts";
export { start, type StartedServer } from "./start.ts";
export { LOCAL_WEBHOOK_SECRET, TEST_WEBHOOK_SECRET_PREFIX } from "./webhook-secret.ts";
