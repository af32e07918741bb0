"use client";
import { useActionState } from "react";
import { addToCartAction } from "@/app/actions";

export function AddToCart({ productId, name, soldOut }: { productId: number; name: string; soldOut: boolean }) {
  const [state, action, pending] = useActionState(addToCartAction, {});
  return (
    <form action={action}>
      <input type="hidden" name="productId" value={productId} />
      <input type="hidden" name="quantity" value="1" />
      <button type="submit" disabled={pending || soldOut} aria-label={`Add ${name} to cart`}>
        {soldOut ? "Sold out" : pending ? "Adding…" : "Add to cart"}
      </button>
      {state.error && (
        <p className="field-error" role="alert">
          {state.error}
        </p>
      )}
    </form>
  );
}
