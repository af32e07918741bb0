// Stripe's documented test payment methods and what each one does on confirm.
// https://docs.stripe.com/testing#cards
export type CardOutcome = { ok: true } | { ok: false; code: string; declineCode?: string; message: string };

/** `authenticate`: the bank asks for 3-D Secure first; `outcome` is what happens once it is completed. */
type TestCard = { brand: string; last4: string; outcome: CardOutcome; authenticate?: true };

const declined = (declineCode: string, message: string): CardOutcome => ({
  ok: false,
  code: "card_declined",
  declineCode,
  message,
});

export const TEST_CARDS: Record<string, TestCard> = {
  pm_card_visa: { brand: "visa", last4: "4242", outcome: { ok: true } },
  pm_card_mastercard: { brand: "mastercard", last4: "4444", outcome: { ok: true } },
  pm_card_amex: { brand: "amex", last4: "8431", outcome: { ok: true } },
  // https://docs.stripe.com/testing#regulatory-cards (3-D Secure)
  pm_card_threeDSecure2Required: { brand: "visa", last4: "3220", outcome: { ok: true }, authenticate: true },
  pm_card_authenticationRequired: { brand: "visa", last4: "3184", outcome: { ok: true }, authenticate: true },
  pm_card_authenticationRequiredChargeDeclinedInsufficientFunds: {
    brand: "visa",
    last4: "3178",
    outcome: declined("insufficient_funds", "Your card has insufficient funds."),
    authenticate: true,
  },
  pm_card_chargeDeclined: {
    brand: "visa",
    last4: "0002",
    outcome: declined("generic_decline", "Your card was declined."),
  },
  pm_card_chargeDeclinedInsufficientFunds: {
    brand: "visa",
    last4: "9995",
    outcome: declined("insufficient_funds", "Your card has insufficient funds."),
  },
  pm_card_chargeDeclinedExpiredCard: {
    brand: "visa",
    last4: "0069",
    outcome: { ok: false, code: "expired_card", declineCode: "expired_card", message: "Your card has expired." },
  },
  pm_card_visa_chargeDeclinedProcessingError: {
    brand: "visa",
    last4: "0119",
    outcome: {
      ok: false,
      code: "processing_error",
      declineCode: "processing_error",
      message: "An error occurred while processing your card. Try again in a little bit.",
    },
  },
};
