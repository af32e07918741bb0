// The rest of each object Stripe returns: every field of Stripe's own example
// objects (spec/fixtures.json, from stripe/openapi's fixtures3.json) and every
// field the SDK's types say is always there (spec/responses.json), with
// the neutral value a test-mode object without that feature has. Our own
// state (payment-intents.ts, charges.ts, …) is laid over these, so the SDK's types hold.
const nullAddress = { city: null, country: null, line1: null, line2: null, postal_code: null, state: null };
const billingDetails = { address: nullAddress, email: null, name: null, phone: null, tax_id: null };

export const paymentIntentShape = {
  // Fields newer than the examples, which the SDK's types (of the announced version) always have.
  allowed_payment_method_types: null,
  payment_record: null,
  amount_details: { tip: {} },
  application: null,
  application_fee_amount: null,
  automatic_payment_methods: null,
  customer_account: null,
  excluded_payment_method_types: null,
  managed_payments: null,
  next_action: null,
  on_behalf_of: null,
  payment_method_configuration_details: null,
  payment_method_options: { card: { installments: null, mandate_options: null, network: null, request_three_d_secure: "automatic" } },
  processing: null,
  review: null,
  setup_future_usage: null,
  shipping: null,
  source: null,
  statement_descriptor: null,
  statement_descriptor_suffix: null,
  transfer_data: null,
  transfer_group: null,
};

export const chargeShape = {
  application: null,
  application_fee: null,
  application_fee_amount: null,
  balance_transaction: null,
  billing_details: billingDetails,
  calculated_statement_descriptor: "PAYONCE",
  customer: null,
  description: null,
  disputed: false,
  failure_balance_transaction: null,
  fraud_details: {},
  on_behalf_of: null,
  receipt_email: null,
  receipt_number: null,
  receipt_url: null,
  review: null,
  shipping: null,
  source: null,
  source_transfer: null,
  statement_descriptor: null,
  statement_descriptor_suffix: null,
  transfer_data: null,
  transfer_group: null,
};

/** A card's details on a charge, as Stripe reports a test card's. */
export const cardDetails = (card: { brand: string; last4: string; exp_month: number; exp_year: number }, amount: number) => ({
  amount_authorized: amount,
  authorization_code: null,
  brand: card.brand,
  checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: "pass" },
  country: "US",
  exp_month: card.exp_month,
  exp_year: card.exp_year,
  extended_authorization: { status: "disabled" },
  fingerprint: `fp${card.brand}${card.last4}`,
  funding: "credit",
  incremental_authorization: { status: "unavailable" },
  installments: null,
  last4: card.last4,
  mandate: null,
  multicapture: { status: "unavailable" },
  network: card.brand,
  network_token: { used: false },
  network_transaction_id: null,
  overcapture: { maximum_amount_capturable: amount, status: "unavailable" },
  regulated_status: null,
  three_d_secure: null,
  transaction_link_id: null,
  wallet: null,
});

export const refundShape = {
  application: null,
  balance_transaction: null,
  destination_details: { card: { reference_status: "pending", reference_type: "acquirer_reference_number", type: "refund" }, type: "card" },
  receipt_number: null,
  source_transfer_reversal: null,
  transfer_reversal: null,
  customer: null,
  customer_account: null,
};

export const customerShape = {
  address: null,
  balance: 0,
  currency: null,
  default_source: null,
  delinquent: false,
  description: null,
  discount: null,
  invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
  next_invoice_sequence: 1,
  phone: null,
  preferred_locales: [],
  shipping: null,
  tax_exempt: "none",
  test_clock: null,
};

export const paymentMethodShape = { allow_redisplay: "unspecified", customer_account: null };

export const paymentMethodCardShape = (brand: string, last4: string) => ({
  checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: "pass" },
  display_brand: brand,
  fingerprint: `fp${brand}${last4}`,
  generated_from: null,
  networks: { available: [brand], preferred: null },
  regulated_status: null,
  three_d_secure_usage: { supported: true },
  wallet: null,
});
