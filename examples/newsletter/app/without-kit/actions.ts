"use server";
// The control: the same sign-up as a plain server action, without the kit.
// A form sent twice makes two rows; the tests show it does.
import { db } from "../../lib/db.server";
import { signUpFields } from "../../lib/subscribe.server";

export type PlainState = { ok?: boolean; message?: string };

export async function signUpWithoutKit(_prev: PlainState, form: FormData): Promise<PlainState> {
  const parsed = signUpFields.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { ok: false, message: "Enter an e-mail address." };
  await db.subscriber.create({ data: { email: parsed.data.email } });
  return { ok: true, message: "You are subscribed." };
}
