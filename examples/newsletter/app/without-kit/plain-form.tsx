"use client";
// The same form as app/signup-form.tsx, as most forms are written: no attempt
// key, no lock. Its button stays live while the first submit is on its way.
import { useActionState } from "react";
import { signUpWithoutKit } from "./actions";

export function PlainSignUpForm() {
  const [state, action] = useActionState(signUpWithoutKit, {});
  return (
    <form action={action} noValidate>
      <label>
        E-mail <input name="email" type="email" />
      </label>
      <button type="submit" data-testid="sign-up">
        Sign up
      </button>
      <div role="status" aria-live="polite" className="form-status">
        {state.message && <p className={state.ok ? "ok" : "warn"}>{state.message}</p>}
      </div>
    </form>
  );
}
