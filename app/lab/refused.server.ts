// The lab's answer to a step it could not take (its own actions', and the demo
// panel's): the lab page, saying why. The local Stripe server down, the
// session refused or ended, the mug not going in the cart: none is a 500.
import "server-only";
import type { Route } from "next";
import { redirect } from "next/navigation";
import { CartError } from "@/lib/orders/cart.server";
import { LocalStripeUnreachable } from "@/lib/demo/lab.server";
import { RefusedInput } from "@payonce/kit";
import { sessionRefusalQuery } from "@/lib/sessions/session.server";

/** Redirects to the lab page with what to say; rethrows the server's own trouble. */
export function labRefused(error: unknown): never {
  if (error instanceof LocalStripeUnreachable) redirect("/lab?error=stripe");
  if (error instanceof CartError) redirect("/lab?error=cart");
  if (!(error instanceof RefusedInput)) throw error;
  redirect(`/lab?${sessionRefusalQuery(error) ?? "error=refused"}` as Route);
}
