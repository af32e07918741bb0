"use server";
// The sign-up form's server action, through the kit: the fields checked with
// zod (field errors, nothing written), the attempt key from the form's
// idempotencyKey field, the visitor as the key's scope.
import { formActions } from "@payonce/kit/next";
import { answered, type FormState } from "@payonce/kit/react";
import { z } from "zod";
import { signUpFields, subscribe } from "../lib/subscribe.server";
import { visitorSession } from "../lib/visitor.server";

const { submitForm } = formActions({ session: visitorSession });

const fields = signUpFields.extend({ idempotencyKey: z.string().min(1).max(255) });

export async function signUp(prev: FormState, form: FormData): Promise<FormState> {
  const reply = await submitForm(
    form,
    fields,
    ({ session, key, fields }) => subscribe(session, key, fields, { waitForRunning: true }),
    () => ({ ok: true, message: "You are subscribed: a welcome e-mail is on its way." }),
  );
  return answered(prev, reply, form);
}
