"use client";
// Every form of the store that changes something, protected by the kit
// (SubmitOnceForm and the one server action). In the demo, with the UI guard
// switched off, the same fields become a plain HTML form that the browser
// posts on every click, so the other layers can be watched alone.
import { useEffect, type ReactNode } from "react";
import { startNewAttempt } from "@payonce/kit/react";
import { INITIAL_FORM_STATE, type FormState } from "@payonce/kit/react";
import { FormStatus, SubmitOnceForm, type SubmitOnceFormProps } from "@payonce/kit/react";
import { useAttemptKey } from "@payonce/kit/react";
import { submitAction } from "../forms/actions";
import type { FormName } from "../forms/submitters";

type Props = Omit<SubmitOnceFormProps, "action"> & {
  form: FormName;
  /** Demo: false sends the plain form. */
  uiGuard: boolean;
  /** Demo, plain form: the page to come back to, and what the last plain post of this form got. */
  returnTo: string;
  plainResult?: string;
};

export function ProtectedForm({ form, uiGuard, returnTo, plainResult, children, ...props }: Props) {
  const fields = (state: FormState) => (
    <>
      <input type="hidden" name="form" value={form} />
      {children(state)}
    </>
  );
  if (uiGuard)
    return (
      <SubmitOnceForm action={submitAction} {...props}>
        {fields}
      </SubmitOnceForm>
    );
  return <PlainForm form={form} returnTo={returnTo} plainResult={plainResult} {...props} fields={fields} />;
}

function PlainForm({
  form,
  scope,
  serverKey,
  submitLabel,
  testId,
  className = "card",
  returnTo,
  plainResult,
  fields,
}: Omit<Props, "children" | "uiGuard" | "busyLabel"> & { fields: (state: FormState) => ReactNode }) {
  const key = useAttemptKey(scope, serverKey);
  // An answer ended the last attempt of this form: the next submit is a new one.
  useEffect(() => {
    if (plainResult) startNewAttempt(scope);
  }, [plainResult, scope]);
  const state: FormState = plainResult
    ? { ...INITIAL_FORM_STATE, ok: plainResult === "ok", message: plainResult === "ok" ? "Done." : "Not done (switch the UI guard on to see why)." }
    : INITIAL_FORM_STATE;
  return (
    <form method="post" action={`/forms/${form}`} className={className} noValidate data-testid={`${testId}-form`}>
      <input type="hidden" name="idempotencyKey" value={key} />
      <input type="hidden" name="returnTo" value={returnTo} />
      {fields(state)}
      <button type="submit" data-testid={testId}>
        {submitLabel}
      </button>
      <FormStatus state={state} />
      <p className="notice warn small">Demo: the UI guard is off, so every click is sent.</p>
    </form>
  );
}
