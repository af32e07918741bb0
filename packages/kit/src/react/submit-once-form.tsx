"use client";
// The kit's form: useSubmitOnce() around a server action that answers a
// FormState. It carries the attempt key, locks on the first submit, and shows
// the answer below the button (whose place therefore never moves). Fields
// come from `children`, given the state for their errors and sent values.
import type { ReactNode } from "react";
import { INITIAL_FORM_STATE, type FormState } from "./form-state.ts";
import { useSubmitOnce } from "./use-submit-once.ts";

export type SubmitOnceFormProps = {
  action: (state: FormState, form: FormData) => Promise<FormState>;
  /** What one attempt is for (this form on this page, for this record): its key is kept under this name. */
  scope: string;
  /** The key the server rendered, used until the page is hydrated. */
  serverKey: string;
  submitLabel: string;
  busyLabel: string;
  /** The button's test id (the form's is `${testId}-form`). */
  testId: string;
  className?: string;
  children: (state: FormState) => ReactNode;
};

export const FAILED_MESSAGE = "The connection failed before an answer came. Send it again: it will be done once.";

export function SubmitOnceForm({ action, scope, serverKey, submitLabel, busyLabel, testId, className = "card", children }: SubmitOnceFormProps) {
  const { key, state, formAction, onSubmit, busy } = useSubmitOnce(action, INITIAL_FORM_STATE, { scope, serverKey });
  return (
    <form action={formAction} onSubmit={onSubmit} className={className} noValidate data-testid={`${testId}-form`}>
      <input type="hidden" name="idempotencyKey" value={key} />
      {children(state)}
      <button type="submit" disabled={busy} aria-busy={busy} data-testid={testId}>
        {busy ? busyLabel : submitLabel}
      </button>
      <FormStatus state={state} />
    </form>
  );
}

/** The answer, in a region that keeps its place (role=status: screen readers hear it). */
export function FormStatus({ state }: { state: FormState }) {
  const message = state.failed ? FAILED_MESSAGE : state.message;
  return (
    <div role="status" aria-live="polite" className="form-status">
      {message && <p className={`notice ${state.ok ? "ok" : "warn"}`}>{message}</p>}
    </div>
  );
}

/** A field's first error, if it has one. */
export function FieldError({ state, name }: { state: FormState; name: string }) {
  const error = state.fieldErrors?.[name]?.[0];
  return error ? <p className="field-error">{error}</p> : null;
}
