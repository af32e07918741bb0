// /ledger: what this app recorded next to what the payment side holds, so a
// person can check "one order, one PaymentIntent, one charge" for themselves.
// The page reads everything once (lib/demo/ledger.server.ts, and in local mode the
// local Stripe server's log) and hands each section, one file each in this
// folder, its part, in the order they are shown.
import type { Metadata } from "next";
import { ledgerAccess } from "@/lib/sessions/admin-auth.server";
import { requirePageAccess } from "@/lib/sessions/page-access.server";
import { env } from "@/lib/env.server";
import { ledger } from "@/lib/demo/ledger.server";
import { paymentSideLog } from "@/lib/demo/lab.server";
import { sessionProtections } from "@/lib/demo/protections.server";
import { currentSessionId } from "@/lib/sessions/session.server";
import { LedgerIntro } from "./intro";
import { SessionStory } from "./session-story";
import { Figures } from "./figures";
import { Fulfillment } from "./fulfillment";
import { WebhookDeliveries } from "./webhook-deliveries";
import { YourOrders } from "./your-orders";
import { YourPaymentIntents } from "./your-payment-intents";
import { CheckoutAttempts } from "./checkout-attempts";

export const metadata: Metadata = { title: "Ledger" };
export const dynamic = "force-dynamic";

export default async function LedgerPage() {
  await requirePageAccess(ledgerAccess);
  const sessionId = await currentSessionId();
  const { demoTools, stripe } = env();
  const [data, protections, sideLog] = await Promise.all([
    ledger(sessionId),
    sessionProtections(sessionId),
    demoTools ? paymentSideLog().catch(() => null) : null,
  ]);

  return (
    <div className="stack">
      <h1>Ledger</h1>
      <LedgerIntro stripeMode={stripe.mode} paymentSide={data.paymentSide} />
      {demoTools && <SessionStory mine={data.session} protections={protections} stripeReplays={sideLog?.replays} webhookDuplicates={data.webhooks.duplicate} />}
      <Figures session={data.session} overall={data.overall} />
      <Fulfillment jobs={data.jobs} demoTools={demoTools} />
      <WebhookDeliveries webhooks={data.webhooks} />
      <YourOrders orders={data.orders} />
      <YourPaymentIntents paymentSide={data.paymentSide} paymentIntents={data.paymentIntents} />
      <CheckoutAttempts attempts={data.attempts} deliveries={sideLog?.deliveries ?? []} />
    </div>
  );
}
