// The local Stripe server as tests see it (unit and e2e): its view of our
// orders, its fault switches, and its 3-D Secure page (the package's hand on it).
import type { FaultsRequest } from "@payonce/stripe-local/faults";

export { authenticate } from "@payonce/stripe-local";

export const STRIPE = `http://127.0.0.1:${process.env.LOCAL_STRIPE_PORT}`;
const APP_ACCOUNT = "sk_test_payonce_local";

export type SidePaymentIntent = { id: string; status: string; metadata: Record<string, string>; charges: { status: string }[] };

/** The PaymentIntents (with their charges) the local Stripe server holds for these orders. */
export async function paymentIntentsFor(orderIds: string[]): Promise<SidePaymentIntent[]> {
  const ledger = (await (await fetch(`${STRIPE}/_control/ledger?account=${APP_ACCOUNT}`)).json()) as { paymentIntents: SidePaymentIntent[] };
  return ledger.paymentIntents.filter((pi) => orderIds.includes(pi.metadata.order_id ?? ""));
}

export async function stripeFaults(faults: FaultsRequest) {
  const response = await fetch(`${STRIPE}/_control/faults`, { method: "POST", body: JSON.stringify(faults) });
  if (!response.ok) throw new Error(`local Stripe faults: ${response.status} ${await response.text()}`);
}
