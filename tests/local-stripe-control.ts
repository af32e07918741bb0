// The local Stripe server as tests see it (unit and e2e): its view of our
// orders, and its fault switches.
export const STRIPE = `http://127.0.0.1:${process.env.LOCAL_STRIPE_PORT}`;
const APP_ACCOUNT = "sk_test_payonce_local";

/**
 * A port for a test's own local Stripe server, a fixed step above the run's
 * own (UNIT_STRIPE_PORT): two runs side by side (CI's two legs) never meet.
 */
export const portBesideStripe = (step: number) => Number(process.env.LOCAL_STRIPE_PORT) + step;

export type SidePaymentIntent = { id: string; status: string; metadata: Record<string, string>; charges: { status: string }[] };

/** The PaymentIntents (with their charges) the local Stripe server holds for these orders. */
export async function paymentIntentsFor(orderIds: string[]): Promise<SidePaymentIntent[]> {
  const ledger = (await (await fetch(`${STRIPE}/_control/ledger?account=${APP_ACCOUNT}`)).json()) as { paymentIntents: SidePaymentIntent[] };
  return ledger.paymentIntents.filter((pi) => orderIds.includes(pi.metadata.order_id ?? ""));
}

export async function stripeFaults(faults: Record<string, unknown>) {
  const response = await fetch(`${STRIPE}/_control/faults`, { method: "POST", body: JSON.stringify(faults) });
  if (!response.ok) throw new Error(`local Stripe faults: ${response.status} ${await response.text()}`);
}

/** Presses a button ("complete" or "fail") of the local Stripe server's 3-D Secure page; the page's raw answer. */
export function answerAuthentication(pageUrl: string, action: "complete" | "fail"): Promise<Response> {
  const page = new URL(pageUrl);
  const body = new URLSearchParams({
    payment_intent: page.searchParams.get("payment_intent")!,
    client_secret: page.searchParams.get("client_secret")!,
    action,
  });
  return fetch(page, { method: "POST", body, redirect: "manual" });
}

/** Authenticates as the customer would; returns where the customer is sent back. */
export async function authenticate(pageUrl: string, action: "complete" | "fail"): Promise<string> {
  const response = await answerAuthentication(pageUrl, action);
  if (response.status !== 303) throw new Error(`authentication page: ${response.status} ${await response.text()}`);
  return response.headers.get("location")!;
}
