// The server-action edge of the kit, for any form protected by useSubmitOnce():
// the form's fields are checked by `schema` (field errors, nothing written),
// the attempt key is the form's `idempotencyKey` field, the session comes from
// its cookie, and the database's own trouble is a retryable answer (same key).
//   - runAction() gives back what the operation returned, for a form with
//     messages of its own (the Pay form);
//   - submitForm() turns an idempotent operation's result into a FormReply,
//     with the form's words for its outcomes only.
import "server-only";
import { z } from "zod";
import { isDatabaseUnavailable } from "./db.server";
import type { IdempotentResult } from "./idempotent-operation.server";
import { RefusedInput } from "./refused-input";
import { requireSession } from "./session.server";

type FieldErrors<Fields> = Partial<Record<keyof Fields, string[]>>;

export type ActionAnswer<Fields, Result> =
  { kind: "invalid"; fieldErrors: FieldErrors<Fields> } | { kind: "refused"; message: string } | { kind: "busy" } | { kind: "ran"; result: Result };

export type Session = Awaited<ReturnType<typeof requireSession>>;

type Run<Fields, Result> = (call: { session: Session; key: string; fields: Omit<Fields, "idempotencyKey"> }) => Promise<Result>;

export async function runAction<Fields extends { idempotencyKey: string }, Result>(
  form: FormData,
  schema: z.ZodType<Fields>,
  run: Run<Fields, Result>,
): Promise<ActionAnswer<Fields, Result>> {
  const parsed = schema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { kind: "invalid", fieldErrors: z.flattenError(parsed.error).fieldErrors as FieldErrors<Fields> };
  const { idempotencyKey: key, ...fields } = parsed.data;
  try {
    return { kind: "ran", result: await run({ session: await requireSession(), key, fields }) };
  } catch (error) {
    if (error instanceof RefusedInput) {
      return error.field
        ? { kind: "invalid", fieldErrors: { [error.field]: [error.message] } as FieldErrors<Fields> }
        : { kind: "refused", message: error.message };
    }
    // Not final: the same key resumes the attempt once the database answers again.
    if (isDatabaseUnavailable(error)) return { kind: "busy" };
    throw error;
  }
}

/** What a protected form shows after a submit. */
export type FormReply = {
  ok: boolean;
  message: string;
  /** A final reply ends the attempt: the next submit is a new one, with a new key. */
  final: boolean;
  fieldErrors?: Record<string, string[] | undefined>;
};

/** An operation's final outcome in the form's words (final, whether ok or not: the attempt ended). */
export type Say<Outcome> = (outcome: Outcome) => Omit<FormReply, "final">;

const MESSAGES = {
  invalid: "Check the highlighted fields.",
  busy: "The shop is very busy right now: send it again in a moment (it will be done once).",
  pending: "Still being done. Send it again in a moment to see the result.",
  mismatch: "This form was first sent with other values, and nothing was changed for the new ones: send it again.",
  unavailable: "A service we depend on did not answer. Nothing was done twice: send it again.",
};

export async function submitForm<Fields extends { idempotencyKey: string }, Outcome>(
  form: FormData,
  schema: z.ZodType<Fields>,
  run: Run<Fields, IdempotentResult<Outcome>>,
  say: Say<Outcome>,
): Promise<FormReply> {
  const answer = await runAction(form, schema, run);
  switch (answer.kind) {
    case "invalid":
      return { ok: false, final: false, message: MESSAGES.invalid, fieldErrors: answer.fieldErrors as FormReply["fieldErrors"] };
    case "refused":
      return { ok: false, final: false, message: answer.message };
    case "busy":
      return { ok: false, final: false, message: MESSAGES.busy };
  }
  const result = answer.result;
  switch (result.kind) {
    case "completed":
      return { ...say(result.outcome), final: true };
    case "in_progress":
      return { ok: false, final: false, message: MESSAGES.pending };
    case "mismatch":
      return { ok: false, final: true, message: MESSAGES.mismatch };
    case "retryable":
      return { ok: false, final: false, message: MESSAGES.unavailable };
  }
}
