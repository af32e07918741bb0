// The server-action edge, for any form protected by useSubmitOnce(): the
// form's fields are checked by `schema` (field errors, nothing written), the
// attempt key is the form's `idempotencyKey` field, the scope comes from the
// app (its session), and trouble the app calls passing (its database busy) is
// an answer that keeps the key, so that sending again resumes the attempt.
//   - runAction() gives back what the operation returned, for a form with
//     messages of its own;
//   - submitForm() turns an idempotent operation's result into a FormReply,
//     with the form's words for its outcomes only.
import { z } from "zod";
import type { FormReply } from "../form-reply.ts";
import { RefusedInput } from "../refused-input.ts";
import type { IdempotentResult } from "../run.ts";

type FieldErrors<Fields> = Partial<Record<keyof Fields, string[]>>;

export type ActionAnswer<Fields, Result> =
  { kind: "invalid"; fieldErrors: FieldErrors<Fields> } | { kind: "refused"; message: string } | { kind: "busy" } | { kind: "ran"; result: Result };

export type ActionCall<Session, Fields> = { session: Session; key: string; fields: Omit<Fields, "idempotencyKey"> };

/** An operation's final outcome in the form's words (final, whether ok or not: the attempt ended). */
export type Say<Outcome> = (outcome: Outcome) => Omit<FormReply, "final">;

export const FORM_MESSAGES = {
  invalid: "Check the highlighted fields.",
  busy: "The server is very busy right now: send it again in a moment (it will be done once).",
  pending: "Still being done. Send it again in a moment to see the result.",
  mismatch: "This form was first sent with other values, and nothing was changed for the new ones: send it again.",
  unavailable: "A service we depend on did not answer. Nothing was done twice: send it again.",
};

export type FormActionOptions<Session> = {
  /** The caller's scope for its keys (the app's session); a RefusedInput thrown here is shown to them. */
  session: () => Promise<Session>;
  /** Trouble that passes (the database busy): the form says so and keeps its key. */
  isUnavailable?: (error: unknown) => boolean;
  /** The form's words for the kit's answers. */
  messages?: Partial<typeof FORM_MESSAGES>;
};

/** The two server-action wrappers, bound to how the app finds its session. */
export function formActions<Session>({ session, isUnavailable = () => false, messages: own = {} }: FormActionOptions<Session>) {
  const messages = { ...FORM_MESSAGES, ...own };

  async function runAction<Fields extends { idempotencyKey: string }, Result>(
    form: FormData,
    schema: z.ZodType<Fields>,
    run: (call: ActionCall<Session, Fields>) => Promise<Result>,
  ): Promise<ActionAnswer<Fields, Result>> {
    const parsed = schema.safeParse(Object.fromEntries(form));
    if (!parsed.success) return { kind: "invalid", fieldErrors: z.flattenError(parsed.error).fieldErrors as FieldErrors<Fields> };
    const { idempotencyKey: key, ...fields } = parsed.data;
    try {
      return { kind: "ran", result: await run({ session: await session(), key, fields }) };
    } catch (error) {
      if (error instanceof RefusedInput) {
        return error.field
          ? { kind: "invalid", fieldErrors: { [error.field]: [error.message] } as FieldErrors<Fields> }
          : { kind: "refused", message: error.message };
      }
      // Not final: the same key resumes the attempt once the trouble has passed.
      if (isUnavailable(error)) return { kind: "busy" };
      throw error;
    }
  }

  async function submitForm<Fields extends { idempotencyKey: string }, Outcome>(
    form: FormData,
    schema: z.ZodType<Fields>,
    run: (call: ActionCall<Session, Fields>) => Promise<IdempotentResult<Outcome>>,
    say: Say<Outcome>,
  ): Promise<FormReply> {
    const answer = await runAction(form, schema, run);
    switch (answer.kind) {
      case "invalid":
        return { ok: false, final: false, message: messages.invalid, fieldErrors: answer.fieldErrors as FormReply["fieldErrors"] };
      case "refused":
        return { ok: false, final: false, message: answer.message };
      case "busy":
        return { ok: false, final: false, message: messages.busy };
    }
    const result = answer.result;
    switch (result.kind) {
      case "completed":
        return { ...say(result.outcome), final: true };
      case "in_progress":
        return { ok: false, final: false, message: messages.pending };
      case "mismatch":
        return { ok: false, final: true, message: messages.mismatch };
      case "retryable":
        return { ok: false, final: false, message: messages.unavailable };
    }
  }

  return { runAction, submitForm };
}
