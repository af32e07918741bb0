"use client";
import { useActionState } from "react";
import { setQuantityAction } from "@/app/actions";

export function QuantityForm({ productId, quantity, name }: { productId: number; quantity: number; name: string }) {
  const [state, action, pending] = useActionState(setQuantityAction, {});
  return (
    <form action={action} className="inline-form">
      <input type="hidden" name="productId" value={productId} />
      <input type="number" name="quantity" min={0} max={10} defaultValue={quantity} aria-label={`Quantity of ${name}`} key={quantity} />
      <button type="submit" className="secondary" disabled={pending}>
        Update
      </button>
      {state.error && (
        <span className="field-error" role="alert">
          {state.error}
        </span>
      )}
    </form>
  );
}
