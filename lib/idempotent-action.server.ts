// The server-action edge of the kit, for any form protected by useSubmitOnce():
// the form's fields are checked by `schema` (field errors, nothing written),
// the attempt key is the form's `idempotencyKey` field, the session comes from
// its cookie, and the database's own trouble is a retryable answer (same key).
// What the operation returned is the action's to turn into messages.
import { z } from "zod";
import { isDatabaseUnavailable } from "./db.server";
import { RefusedInput } from "./refused-input";
import { requireSession } from "./session.server";

export type ActionAnswer<Fields, Result> =
  | { kind: "invalid"; fieldErrors: Partial<Record<keyof Fields, string[]>> }
  | { kind: "refused"; message: string }
  | { kind: "busy" }
  | { kind: "ran"; result: Result };

type Session = Awaited<ReturnType<typeof requireSession>>;

export async function runAction<Fields extends { idempotencyKey: string }, Result>(
  form: FormData,
  schema: z.ZodType<Fields>,
  run: (call: { session: Session; key: string; fields: Omit<Fields, "idempotencyKey"> }) => Promise<Result>,
): Promise<ActionAnswer<Fields, Result>> {
  const parsed = schema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { kind: "invalid", fieldErrors: z.flattenError(parsed.error).fieldErrors as Partial<Record<keyof Fields, string[]>> };
  const { idempotencyKey: key, ...fields } = parsed.data;
  try {
    return { kind: "ran", result: await run({ session: await requireSession(), key, fields }) };
  } catch (error) {
    if (error instanceof RefusedInput) return { kind: "refused", message: error.message };
    // Not final: the same key resumes the attempt once the database answers again.
    if (isDatabaseUnavailable(error)) return { kind: "busy" };
    throw error;
  }
}
