// app/refunds/refund-form.tsx: the form (its page renders it with a fresh serverKey).
"use client";
import { FieldError, SubmitOnceForm } from "@payonce/kit/react";
import { refund } from "./actions";

export function RefundForm({ orderId, serverKey }: { orderId: string; serverKey: string }) {
  return (
    <SubmitOnceForm action={refund} scope={`refund:${orderId}`} serverKey={serverKey} submitLabel="Refund" busyLabel="Refunding…" testId="refund">
      {(state) => (
        <>
          <input type="hidden" name="orderId" value={orderId} />
          <input name="amountCents" defaultValue={state.values?.amountCents} />
          <FieldError state={state} name="amountCents" />
        </>
      )}
    </SubmitOnceForm>
  );
}
