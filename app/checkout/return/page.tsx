// Where Stripe sends the customer back after 3-D Secure
// (?payment_intent=…&payment_intent_client_secret=…&redirect_status=…). The
// query only says which PaymentIntent to look at: its outcome is read from
// Stripe and applied as the checkout and the webhook apply it
// (lib/orders/payment-settlement.server.ts), so a reload, a second tab, the back
// button or a webhook before or after changes nothing twice (unless the demo
// switched layer 3 off for the order's session: then it pays it again).
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { z } from "zod";
import { paidAgainInOrderSession } from "@/lib/demo/policy.server";
import { settleReturn } from "@/lib/orders/payment-settlement.server";
import { currentSessionId } from "@/lib/sessions/session.server";

export const metadata: Metadata = { title: "Payment" };
export const dynamic = "force-dynamic";

const returnQuery = z.object({ payment_intent: z.string().regex(/^pi_\w{1,255}$/) });

const STATUS_TEXT: Record<string, string> = {
  paid: "Your payment is complete.",
  refunded: "Your payment is complete.",
  payment_failed: "Your payment did not go through.",
  awaiting_payment: "Your payment is still being confirmed.",
};

export default async function PaymentReturnPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const query = returnQuery.safeParse(await searchParams);
  const settled = query.success ? await settleReturn(query.data.payment_intent, paidAgainInOrderSession) : null;
  if (!settled) {
    return (
      <>
        <h1>Payment</h1>
        <p className="card">
          There is no payment of ours at this address. <Link href="/">Back to the shop</Link>.
        </p>
      </>
    );
  }
  // The shopper who paid goes on to the order, or back to pay with another card.
  if (settled.sessionId === (await currentSessionId())) {
    redirect(settled.status === "payment_failed" ? "/checkout?result=declined" : `/orders/${settled.orderId}`);
  }
  // Anyone else (an API client's customer, another browser) learns only the outcome.
  return (
    <>
      <h1>Payment</h1>
      <p className="card" data-testid="return-status">
        {STATUS_TEXT[settled.status]} You can close this window.
      </p>
    </>
  );
}
