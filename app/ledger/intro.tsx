// The ledger's opening: what the page compares (our records, the payment
// side's), what a person should see there, and why a part may be missing:
// the payment side did not answer, or, with real Stripe, is not read at all.
import type { Ledger } from "@/lib/demo/ledger.server";

export function LedgerIntro({ stripeMode, paymentSide }: { stripeMode: "local" | "stripe"; paymentSide: Ledger["paymentSide"] }) {
  return (
    <>
      <p className="muted">
        What this app recorded, next to what the payment side ({stripeMode === "local" ? "the local Stripe server" : "Stripe test mode"}) holds. However often
        you click Pay, each checkout should show one order, one PaymentIntent and one successful charge.
      </p>
      {paymentSide === "unreachable" && <p className="notice error">The payment side did not answer; its figures are missing.</p>}
      {paymentSide === "not-read" && (
        <p className="notice" data-testid="ledger-own-records">
          With real Stripe this page shows the shop&apos;s own records only and makes no Stripe call: compare them with the Stripe Dashboard.
        </p>
      )}
    </>
  );
}
