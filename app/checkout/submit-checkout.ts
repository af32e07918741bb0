// One checkout submission, from form fields to an outcome the UI can show.
// Shared by the Pay server action and the plain-form endpoint (demo mode).
// The demo enters here: the session's switches as the checkout's policy, and
// the crash hook (PAYONCE_CRASH_AFTER, or the lab's crash armed for it).
import { headers } from "next/headers";
import { checkout } from "@/lib/orders/checkout.server";
import { clientAddress } from "@/lib/http/client-address.server";
import { checkoutFormSchema, type CheckoutFormFields } from "@/lib/orders/checkout-schema";
import { runAction } from "@/lib/forms/form-actions.server";
import { checkoutCrash, takeArmedCrash } from "@/lib/demo/crash.server";
import { sessionPolicy } from "@/lib/demo/policy.server";
import { checkoutReturnUrl } from "@/lib/payments/return-url.server";

export type SubmitStatus = "invalid" | "declined" | "mismatch" | "error" | "pending" | "unavailable" | "busy";

export type SubmitOutcome =
  | { status: "paid"; orderId: string }
  /** The bank asks for 3-D Secure: the customer goes to `url`, and comes back to /checkout/return. */
  | { status: "authenticate"; url: string }
  | {
      status: SubmitStatus;
      message: string;
      /** A final answer ends the attempt: the next Pay is a new attempt with a new key. */
      final: boolean;
      fieldErrors?: Partial<Record<CheckoutFormFields, string[]>>;
    };

export const MESSAGES: Record<Exclude<SubmitStatus, "declined" | "error">, string> = {
  invalid: "Check the highlighted fields.",
  pending: "Your payment is still being processed. Press Pay again in a moment to see the result; you will not be charged twice.",
  mismatch:
    "This payment attempt was started with a different cart, e-mail or card. Nothing was charged for this change: review your order and press Pay again.",
  unavailable: "The payment service did not answer. Nothing was charged twice: press Pay to try again.",
  busy: "The shop is very busy right now. Nothing was charged twice: press Pay again in a moment.",
};

export async function submitCheckout(formData: FormData): Promise<SubmitOutcome> {
  const returnUrl = checkoutReturnUrl(await headers());
  const answer = await runAction(formData, checkoutFormSchema, async ({ session, key, fields }) =>
    checkout({
      session,
      idempotencyKey: key,
      input: fields,
      returnUrl,
      clientAddress: clientAddress(await headers()),
      waitForRunning: true,
      policy: await sessionPolicy(session.id),
      crashAfter: checkoutCrash(await takeArmedCrash(session.id)),
    }),
  );
  switch (answer.kind) {
    case "invalid":
      return { status: "invalid", final: false, message: MESSAGES.invalid, fieldErrors: answer.fieldErrors };
    case "refused":
      return { status: "error", final: false, message: answer.message };
    case "busy":
      return { status: "busy", final: false, message: MESSAGES.busy };
  }
  const result = answer.result;
  switch (result.kind) {
    case "completed": {
      const { outcome } = result;
      if (outcome.kind === "declined") return { status: "declined", final: true, message: outcome.message };
      if (outcome.kind === "out_of_stock") return { status: "error", final: true, message: outcome.message };
      // A replay too: Pay pressed again while authentication is pending goes back to the same page.
      if (outcome.kind === "awaiting_payment" && outcome.nextAction) return { status: "authenticate", url: outcome.nextAction.url };
      return { status: "paid", orderId: outcome.order.id };
    }
    case "in_progress":
      return { status: "pending", final: false, message: MESSAGES.pending };
    case "mismatch":
      return { status: "mismatch", final: true, message: MESSAGES.mismatch };
    case "unavailable":
      return { status: "unavailable", final: false, message: MESSAGES.unavailable };
  }
}
