"use server";
// The review form's server action.
import { revalidatePath } from "next/cache";
import { submitReview, type ReviewAnswer } from "./submit-review";

export type ReviewState = { answer: number; final: boolean } & Partial<ReviewAnswer>;

export async function reviewAction(prev: ReviewState, formData: FormData): Promise<ReviewState> {
  const answer = await submitReview(formData);
  if (answer.status === "reviewed" || answer.status === "already") revalidatePath(`/orders/${String(formData.get("orderId"))}`);
  return { ...answer, answer: prev.answer + 1 };
}
