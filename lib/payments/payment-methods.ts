// The test cards a customer can pick at checkout (Stripe test mode ids, which
// the local Stripe server understands too).
export const PAYMENT_METHODS = [
  { id: "pm_card_visa", label: "Visa •••• 4242 (succeeds)" },
  { id: "pm_card_threeDSecure2Required", label: "Visa •••• 3220 (asks for 3-D Secure, then succeeds)" },
  { id: "pm_card_authenticationRequiredChargeDeclinedInsufficientFunds", label: "Visa •••• 3178 (3-D Secure, then insufficient funds)" },
  { id: "pm_card_chargeDeclined", label: "Visa •••• 0002 (declined)" },
  { id: "pm_card_chargeDeclinedInsufficientFunds", label: "Visa •••• 9995 (insufficient funds)" },
] as const;

export type PaymentMethodId = (typeof PAYMENT_METHODS)[number]["id"];
export const PAYMENT_METHOD_IDS = PAYMENT_METHODS.map((m) => m.id) as [PaymentMethodId, ...PaymentMethodId[]];
