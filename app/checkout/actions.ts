"use server";
// The Pay button's server action. Success redirects to the order; a card
// that asks for 3-D Secure, to the bank's page (which sends the customer back
// to /checkout/return).
import type { Route } from "next";
import { redirect } from "next/navigation";
import type { SubmitState } from "@payonce/kit/react";
import { submitCheckout, type SubmitOutcome, type SubmitStatus } from "./submit-checkout";

export type PayState = SubmitState & {
  status: "idle" | SubmitStatus;
  message?: string;
  fieldErrors?: Extract<SubmitOutcome, { final: boolean }>["fieldErrors"];
};

export async function payAction(prev: PayState, formData: FormData): Promise<PayState> {
  const outcome = await submitCheckout(formData);
  if (outcome.status === "paid") redirect(`/orders/${outcome.orderId}`);
  if (outcome.status === "authenticate") redirect(outcome.url as Route); // the bank's page, outside the app
  return {
    ...outcome,
    answer: prev.answer + 1,
    values: { email: String(formData.get("email") ?? ""), paymentMethod: String(formData.get("paymentMethod") ?? "") },
  };
}
