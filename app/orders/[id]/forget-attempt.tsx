"use client";
import { useEffect } from "react";
import { forgetAttempt } from "@payonce/kit/react";

/** The attempt reached its final result: its key will not be needed again. */
export function ForgetAttempt({ cartId }: { cartId: string }) {
  useEffect(() => forgetAttempt(cartId), [cartId]);
  return null;
}
