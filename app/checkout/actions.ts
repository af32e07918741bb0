"use server";
// The Pay button's server action: validate, run lib/checkout, turn its result
// into something the form can show. Success redirects to the order.
import { redirect } from "next/navigation";
import { z } from "zod";
import { checkout, CheckoutInputError, type CheckoutResponseBody, type CheckoutResult } from "@/lib/checkout.server";
import { checkoutFormSchema, type CheckoutFormFields } from "@/lib/checkout-schema";
import { NoSessionError, requireSession } from "@/lib/session.server";

export type PayState = {
  /** Changes with every answer, so the form can tell a new result from an old one. */
  answer: number;
  status: "idle" | "invalid" | "declined" | "mismatch" | "error" | "pending" | "unavailable";
  message?: string;
  fieldErrors?: Partial<Record<CheckoutFormFields, string[]>>;
  /** A final answer ends this attempt: the next Pay is a new attempt with a new key. */
  final: boolean;
  values?: { email: string; paymentMethod: string };
};

export async function payAction(prev: PayState, formData: FormData): Promise<PayState> {
  const values = { email: String(formData.get("email") ?? ""), paymentMethod: String(formData.get("paymentMethod") ?? "") };
  const answer = (fields: Omit<PayState, "answer" | "values">): PayState => ({ ...fields, answer: prev.answer + 1, values });

  const parsed = checkoutFormSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) {
    return answer({ status: "invalid", final: false, fieldErrors: z.flattenError(parsed.error).fieldErrors, message: "Check the highlighted fields." });
  }
  const { idempotencyKey, ...input } = parsed.data;

  let result: CheckoutResult;
  try {
    const session = await requireSession();
    result = await checkout({ session, idempotencyKey, input, waitForRunning: true });
  } catch (error) {
    if (error instanceof CheckoutInputError || error instanceof NoSessionError) {
      return answer({ status: "error", final: false, message: error.message });
    }
    throw error;
  }

  switch (result.kind) {
    case "completed": {
      const body = result.response.body as CheckoutResponseBody;
      if (body.error?.type === "card_declined") return answer({ status: "declined", final: true, message: body.error.message });
      if (body.error) return answer({ status: "error", final: true, message: body.error.message });
      // Outside any try/catch: redirect() works by throwing.
      redirect(`/orders/${body.order!.id}`);
    }
    case "in_progress":
      return answer({ status: "pending", final: false, message: "Your payment is still being processed. Press Pay again in a moment to see the result; you will not be charged twice." });
    case "mismatch":
      return answer({
        status: "mismatch",
        final: true,
        message: "This payment attempt was started with a different cart, e-mail or card. Nothing was charged for this change: review your order and press Pay again.",
      });
    case "unavailable":
      return answer({ status: "unavailable", final: false, message: "The payment service did not answer. Nothing was charged twice: press Pay to try again." });
  }
}
