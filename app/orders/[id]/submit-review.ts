// One review submission, from form fields to what the form shows. Shared by
// the review server action and the plain-form endpoint (demo mode).
import { runAction } from "@/lib/idempotent-action.server";
import { reviewFormSchema, reviewProduct } from "@/lib/reviews.server";

export type ReviewStatus = "reviewed" | "already" | "invalid" | "error" | "busy" | "pending" | "mismatch";

export type ReviewAnswer = {
  status: ReviewStatus;
  message: string;
  /** A final answer ends the attempt: the next submit is a new one. */
  final: boolean;
  fieldErrors?: Partial<Record<"rating" | "text", string[]>>;
};

export const REVIEW_MESSAGES: Record<ReviewStatus, string> = {
  reviewed: "Thank you for your review.",
  already: "This product of this order has its review already.",
  invalid: "Check the highlighted fields.",
  error: "Something went wrong with that review. Reload the page.",
  busy: "The shop is very busy right now: send it again in a moment (it will be saved once).",
  pending: "Your review is still being saved. Send it again in a moment to see the result.",
  mismatch: "This review was started with other words. Nothing was saved for this change: send it again.",
};

export async function submitReview(formData: FormData): Promise<ReviewAnswer> {
  const answer = await runAction(formData, reviewFormSchema, ({ session, key, fields }) => reviewProduct(session, key, fields));
  const say = (status: ReviewStatus, final: boolean, message = REVIEW_MESSAGES[status]) => ({ status, final, message });
  switch (answer.kind) {
    case "invalid":
      return { ...say("invalid", false), fieldErrors: answer.fieldErrors };
    case "refused":
      return say("error", false, answer.message);
    case "busy":
      return say("busy", false);
  }
  const result = answer.result;
  switch (result.kind) {
    case "completed":
      return result.outcome.kind === "reviewed" ? say("reviewed", true) : say("already", true);
    case "in_progress":
      return say("pending", false);
    case "mismatch":
      return say("mismatch", true);
    case "retryable": // reviews call no other service: not reached
      return say("busy", false);
  }
}
