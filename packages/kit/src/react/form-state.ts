// A protected form's state: what its server action answers, and what it puts
// back in the fields. React resets a form after its action, so an answer that
// is not a success carries the values that were sent (all but the attempt key).
import type { FormReply } from "../form-reply.ts";

/** What the form's action answers: a counter that changes with every answer, and whether it ended the attempt. */
export type SubmitState = {
  answer: number;
  final: boolean;
  /** No answer came (set in the browser, never by the server). */
  failed?: boolean;
  /** What was sent, for the fields to show again. */
  values?: Record<string, string>;
};

export type FormState = SubmitState & Partial<FormReply>;

export const INITIAL_FORM_STATE: FormState = { answer: 0, final: false };

/** The text fields that were sent, to show them again. */
export function sentValues(form: FormData): Record<string, string> {
  return Object.fromEntries([...form].filter((entry): entry is [string, string] => typeof entry[1] === "string" && !/^(\$|idempotencyKey$)/.test(entry[0])));
}

/** The next state of a form after `reply` to what `form` sent. */
export function answered(prev: FormState, reply: FormReply, form: FormData): FormState {
  return { ...reply, answer: prev.answer + 1, values: reply.ok ? undefined : sentValues(form) };
}
