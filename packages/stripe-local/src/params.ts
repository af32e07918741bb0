// The parameters more than one resource takes, checked as Stripe checks them:
// a currency, an amount within Stripe's limits for it, and metadata (merged
// key by key on an update).
import { StripeError } from "./errors.ts";

// Currencies Stripe knows are ISO 4217 codes; three are zero-decimal among the common ones.
const CURRENCIES = new Set(Intl.supportedValuesOf("currency").map((c) => c.toLowerCase()));
const ZERO_DECIMAL = new Set(["bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"]);
// Stripe's minimum charge amounts, in each currency's smallest unit (docs: "Minimum and maximum charge amounts").
const MINIMUM: Record<string, number> = {
  usd: 50,
  eur: 50,
  gbp: 30,
  aud: 50,
  cad: 50,
  chf: 50,
  dkk: 250,
  hkd: 400,
  jpy: 50,
  mxn: 1000,
  nok: 300,
  nzd: 50,
  sek: 300,
  sgd: 50,
};
const MAXIMUM = 99_999_999;

export function checkCurrency(value: unknown): string {
  const currency = String(value).toLowerCase();
  if (!CURRENCIES.has(currency))
    throw StripeError.invalid(
      `Invalid currency: ${currency}. Stripe currently supports these currencies: ${[...CURRENCIES].slice(0, 10).join(", ")}, …`,
      "currency",
    );
  return currency;
}

export function checkAmount(value: unknown, currency: string): number {
  const amount = Number(value);
  const minimum = MINIMUM[currency] ?? (ZERO_DECIMAL.has(currency) ? 1 : 50);
  if (amount < minimum) {
    throw StripeError.invalid(`Amount must be at least ${minimum} ${currency} minor units`, "amount", "amount_too_small");
  }
  if (amount > MAXIMUM) throw StripeError.invalid(`Amount must be no more than ${MAXIMUM} ${currency} minor units`, "amount", "amount_too_large");
  return amount;
}

/** Stripe's metadata limits: at most 50 keys, keys up to 40 characters, values up to 500. */
export function checkMetadata(value: unknown): Record<string, string> {
  if (!value || typeof value !== "object") return {};
  const entries = Object.entries(value as Record<string, string>).filter(([, v]) => v !== "");
  if (entries.length > 50) throw StripeError.invalid("You can specify up to 50 keys in metadata.", "metadata");
  for (const [key, item] of entries) {
    if (key.length > 40) throw StripeError.invalid(`Metadata keys can be at most 40 characters long: ${key}`, `metadata[${key}]`);
    if (item.length > 500) throw StripeError.invalid(`Metadata values can be at most 500 characters long (key ${key})`, `metadata[${key}]`);
  }
  return Object.fromEntries(entries);
}

export function mergeMetadata(current: Record<string, string>, update: unknown): Record<string, string> {
  if (update === "") return {};
  const merged = { ...current, ...(update as Record<string, string>) };
  return checkMetadata(merged);
}

/**
 * A part of a payment (a refund's `amount`, a capture's `amount_to_capture`):
 * a positive integer, checked before it is compared with what is left.
 */
export function checkPositiveAmount(value: unknown, param: string): number {
  const amount = Number(value);
  if (!Number.isInteger(amount) || amount < 1) throw StripeError.invalid("Invalid positive integer", param, "parameter_invalid_integer");
  return amount;
}
