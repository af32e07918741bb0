"use client";
// The Pay form. Layer 1 and the attempt key come from the kit's
// useSubmitOnce(): Pay locks on the first submit, before any network, so
// double clicks and a second Enter never leave the page; a reload mid-payment
// pays with the same key, and a final answer (a decline) starts a new attempt.
import { useEffect } from "react";
import { payAction, type PayState } from "./actions";
import { startNewAttempt } from "@payonce/kit/react";
import { PAYMENT_METHODS } from "@/lib/payments/payment-methods";
import { useAttemptKey, useSubmitOnce } from "@payonce/kit/react";

const INITIAL: PayState = { answer: 0, status: "idle", final: false };

type Props = {
  cartId: string;
  serverKey: string;
  total: string;
  uiGuard: boolean;
  /** The unpaid order's e-mail (a reload mid-payment), so it is not typed twice. */
  email?: string;
  /** Plain-form demo mode: the outcome of the last post, from the redirect. */
  notice?: { message: string; final: boolean };
};

export function CheckoutForm(props: Props) {
  const { notice, cartId } = props;
  // A final result that came through the URL (the plain form's redirect, a
  // failed 3-D Secure) ended the attempt: the next Pay is a new one.
  useEffect(() => {
    if (notice?.final) startNewAttempt(cartId);
  }, [notice, cartId]);
  return props.uiGuard ? <GuardedForm {...props} /> : <PlainForm {...props} />;
}

function GuardedForm({ cartId, serverKey, total, email }: Props) {
  const { key, state, formAction, onSubmit, busy } = useSubmitOnce(payAction, INITIAL, { scope: cartId, serverKey });
  return (
    <form action={formAction} onSubmit={onSubmit} className="card" noValidate aria-describedby="pay-status">
      <Fields cartId={cartId} attemptKey={key} state={state} total={total} busy={busy} email={email} />
    </form>
  );
}

/**
 * Demo mode with the UI guard off: an ordinary HTML form that the browser
 * posts on every click, as any unguarded form (or an unhydrated page) does.
 */
function PlainForm({ cartId, serverKey, total, notice, email }: Props) {
  const key = useAttemptKey(cartId, serverKey);
  const state: PayState = { ...INITIAL, status: notice ? "error" : "idle", message: notice?.message };
  return (
    <form method="post" action="/checkout/submit" className="card" noValidate aria-describedby="pay-status">
      <Fields cartId={cartId} attemptKey={key} state={state} total={total} busy={false} email={email} />
      <p className="notice warn small" style={{ marginTop: "0.75rem" }}>
        Demo: the UI guard is off, so every click is sent.
      </p>
    </form>
  );
}

type FieldsProps = { cartId: string; attemptKey: string; state: PayState; total: string; busy: boolean; email?: string };

function Fields({ cartId, attemptKey, state, total, busy, email }: FieldsProps) {
  const errors = state.fieldErrors ?? {};
  const tone = state.status === "pending" || state.status === "unavailable" || state.status === "busy" ? "warn" : "error";
  return (
    <>
      <h2 style={{ marginTop: 0 }}>Payment</h2>
      <input type="hidden" name="cartId" value={cartId} />
      <input type="hidden" name="idempotencyKey" value={attemptKey} data-testid="idempotency-key" />

      <label htmlFor="email">E-mail for the receipt</label>
      <input
        id="email"
        name="email"
        type="email"
        autoComplete="email"
        required
        defaultValue={state.values?.email ?? email ?? ""}
        key={`email-${state.answer}`}
        aria-invalid={!!errors.email}
        aria-describedby={errors.email ? "email-error" : undefined}
      />
      {errors.email && (
        <p className="field-error" id="email-error">
          {errors.email[0]}
        </p>
      )}

      <fieldset aria-describedby={errors.paymentMethod ? "pm-error" : undefined} key={`pm-${state.answer}`}>
        <legend>Test card</legend>
        {PAYMENT_METHODS.map((m, i) => (
          <label className="radio" key={m.id}>
            <input
              type="radio"
              name="paymentMethod"
              value={m.id}
              defaultChecked={state.values?.paymentMethod ? state.values.paymentMethod === m.id : i === 0}
            />
            {m.label}
          </label>
        ))}
        {errors.paymentMethod && (
          <p className="field-error" id="pm-error">
            {errors.paymentMethod[0]}
          </p>
        )}
      </fieldset>
      {(errors.idempotencyKey ?? errors.cartId) && <p className="field-error">{(errors.idempotencyKey ?? errors.cartId)![0]}</p>}

      <div style={{ marginTop: "1.2rem" }}>
        <button type="submit" className="pay" disabled={busy} aria-busy={busy} data-testid="pay">
          {busy && <span className="spinner" aria-hidden="true" />}
          {busy ? "Paying…" : `Pay ${total}`}
        </button>
      </div>
      {/* Below the button: a message appearing never moves it under a click storm. */}
      <div id="pay-status" role="status" aria-live="polite" style={{ marginTop: "1rem" }}>
        {state.failed ? (
          <p className="notice warn">The connection failed before an answer came. Press Pay again: you will not be charged twice.</p>
        ) : (
          state.message && <p className={`notice ${tone}`}>{state.message}</p>
        )}
      </div>
    </>
  );
}
