"use server";
// The Pay button's server action. Success redirects to the order.
import { redirect } from "next/navigation";
import type { SubmitState } from "@/lib/use-submit-once";
import { submitCheckout, type SubmitOutcome, type SubmitStatus } from "./submit-checkout";

export type PayState = SubmitState & {
  status: "idle" | SubmitStatus;
  message?: string;
  fieldErrors?: Extract<SubmitOutcome, { final: boolean }>["fieldErrors"];
};

export async function payAction(prev: PayState, formData: FormData): Promise<PayState> {
  const outcome = await submitCheckout(formData);
  if (outcome.status === "paid") redirect(`/orders/${outcome.orderId}`);
  return {
    ...outcome,
    answer: prev.answer + 1,
    values: { email: String(formData.get("email") ?? ""), paymentMethod: String(formData.get("paymentMethod") ?? "") },
  };
}
