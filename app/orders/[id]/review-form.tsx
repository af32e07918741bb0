"use client";
// A review of one product of a paid order, protected like every form.
import { ProtectedForm } from "@/app/components/protected-form";
import { FieldError } from "@payonce/kit/react";

type Props = { orderId: string; productId: number; productName: string; serverKey: string; uiGuard: boolean; plainResult?: string };

export function ReviewForm({ orderId, productId, productName, serverKey, uiGuard, plainResult }: Props) {
  return (
    <ProtectedForm
      form="review"
      scope={`review:${orderId}:${productId}`}
      serverKey={serverKey}
      submitLabel="Send review"
      busyLabel="Sending…"
      testId={`review-${productId}`}
      uiGuard={uiGuard}
      returnTo={`/orders/${orderId}`}
      plainResult={plainResult}
    >
      {(state) => (
        <>
          <h3 style={{ marginTop: 0 }}>Review {productName}</h3>
          <input type="hidden" name="orderId" value={orderId} />
          <input type="hidden" name="productId" value={productId} />
          <label htmlFor={`rating-${productId}`}>Stars</label>
          <select
            id={`rating-${productId}`}
            name="rating"
            defaultValue={state.values?.rating ?? "5"}
            key={`rating-${state.answer}`}
            aria-invalid={!!state.fieldErrors?.rating}
          >
            {[5, 4, 3, 2, 1].map((n) => (
              <option key={n} value={n}>
                {"★".repeat(n)}
              </option>
            ))}
          </select>
          <label htmlFor={`text-${productId}`}>Your review</label>
          <textarea
            id={`text-${productId}`}
            name="text"
            rows={3}
            defaultValue={state.values?.text}
            key={`text-${state.answer}`}
            aria-invalid={!!state.fieldErrors?.text}
          />
          <FieldError state={state} name="text" />
          <div style={{ height: "0.8rem" }} />
        </>
      )}
    </ProtectedForm>
  );
}
