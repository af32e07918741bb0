// The Stripe API version this server answers as: its objects have the fields
// that version's have, its events carry it as `api_version`, and an answer to
// a request that names no Stripe-Version says it. An app pins its SDK to a
// version; it should be this one (PayOnce's own unit test checks its pin).
export const STRIPE_API_VERSION = "2026-11-18.endive";
