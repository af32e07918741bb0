"use client";
// The admin's forms on an order, protected by the kit like every form.
import { ProtectedForm } from "@/app/components/protected-form";
import { FieldError } from "@payonce/kit/react";

type Common = { orderId: string; serverKey: string; uiGuard: boolean; plainResult?: string };

export function RefundForm({ orderId, leftToRefund, ...props }: Common & { leftToRefund: string }) {
  return (
    <ProtectedForm
      form="refund"
      scope={`refund:${orderId}`}
      submitLabel="Refund"
      busyLabel="Refunding…"
      testId="refund"
      returnTo={`/admin/orders/${orderId}`}
      {...props}
    >
      {(state) => (
        <>
          <h2 style={{ marginTop: 0 }}>Refund</h2>
          <input type="hidden" name="orderId" value={orderId} />
          <label htmlFor="refund-amount">Amount (at most {leftToRefund})</label>
          <input
            id="refund-amount"
            name="amountCents"
            inputMode="decimal"
            defaultValue={state.values?.amountCents ?? leftToRefund.replace(/[^\d.]/g, "")}
            key={`amount-${state.answer}`}
            aria-invalid={!!state.fieldErrors?.amountCents}
          />
          <FieldError state={state} name="amountCents" />
          <div style={{ height: "0.8rem" }} />
        </>
      )}
    </ProtectedForm>
  );
}

export function ShipForm({ orderId, ...props }: Common) {
  return (
    <ProtectedForm
      form="ship"
      scope={`ship:${orderId}`}
      submitLabel="Mark as shipped"
      busyLabel="Saving…"
      testId="ship"
      returnTo={`/admin/orders/${orderId}`}
      {...props}
    >
      {() => <input type="hidden" name="orderId" value={orderId} />}
    </ProtectedForm>
  );
}
