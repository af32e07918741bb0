"use client";
// The sign-up form, with the kit: <SubmitOnceForm> keeps the attempt key (the
// server's until the page hydrates), locks on the first submit and shows the answer.
import { FieldError, SubmitOnceForm } from "@payonce/kit/react";
import { signUp } from "./actions";

export function SignUpForm({ serverKey }: { serverKey: string }) {
  return (
    <SubmitOnceForm action={signUp} scope="newsletter" serverKey={serverKey} submitLabel="Sign up" busyLabel="Signing up…" testId="sign-up">
      {(state) => (
        <>
          <label>
            E-mail <input key={state.answer} name="email" type="email" defaultValue={state.values?.email} />
          </label>
          <FieldError state={state} name="email" />
        </>
      )}
    </SubmitOnceForm>
  );
}
