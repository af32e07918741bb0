// The Stripe API version this server answers as: its objects have the fields
// that version's have, its events carry it as `api_version`, and an answer to
// a request that names no Stripe-Version says it. An app pins its SDK to a
// version; it should be this one (PayOnce's own unit test checks its pin).
// A request may name another released version (Stripe answers a version it
// never released with a 400); objects are still shaped as this one's.
export const STRIPE_API_VERSION = "2026-11-18.endive";

/**
 * Versions Stripe has released: the dated ones before named releases that
 * SDKs were pinned to, and every named release the installed SDK's changelog
 * (stripe-node 23) names, up to the one this server answers as.
 */
export const KNOWN_API_VERSIONS: ReadonlySet<string> = new Set([
  "2020-08-27",
  "2022-08-01",
  "2022-11-15",
  "2023-08-16",
  "2023-10-16",
  "2024-04-10",
  "2024-06-20",
  "2024-09-30.acacia",
  "2024-10-28.acacia",
  "2024-11-20.acacia",
  "2024-12-18.acacia",
  "2025-01-27.acacia",
  "2025-02-24.acacia",
  "2025-03-31.basil",
  "2025-04-30.basil",
  "2025-05-28.basil",
  "2025-06-30.basil",
  "2025-07-30.basil",
  "2025-08-27.basil",
  "2025-09-30.clover",
  "2025-10-29.clover",
  "2025-11-17.clover",
  "2025-12-15.clover",
  "2026-01-28.clover",
  "2026-02-25.clover",
  "2026-03-25.dahlia",
  "2026-04-22.dahlia",
  "2026-05-27.dahlia",
  "2026-06-24.dahlia",
  "2026-07-29.dahlia",
  "2026-08-26.dahlia",
  "2026-09-30.endive",
  "2026-10-28.endive",
  STRIPE_API_VERSION,
]);
