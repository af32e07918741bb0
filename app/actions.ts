"use server";
// Cart and demo-panel actions: parse, call lib, redirect or report.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { addToCart, CartError, MAX_QUANTITY, setQuantity } from "@/lib/orders/cart.server";
import { databaseId } from "@/lib/orders/checkout-schema";
import { env } from "@/lib/env.server";
import { LAYERS, type Protections } from "@/lib/demo/protections";
import { saveProtections } from "@/lib/demo/protections.server";
import { RefusedInput } from "@payonce/kit";
import { requireSession } from "@/lib/sessions/session.server";
import { labRefused } from "./lab/refused.server";

export type FormState = { error?: string };

const cartLine = z.object({
  productId: z.coerce.number().pipe(databaseId),
  quantity: z.coerce.number().int().min(0).max(MAX_QUANTITY),
});

async function cartAction(formData: FormData, apply: (sessionId: string, line: z.infer<typeof cartLine>) => Promise<void>): Promise<FormState> {
  const line = cartLine.safeParse(Object.fromEntries(formData));
  if (!line.success) return { error: `Quantity must be a whole number from 0 to ${MAX_QUANTITY}.` };
  try {
    const session = await requireSession();
    await apply(session.id, line.data);
  } catch (error) {
    if (error instanceof CartError || error instanceof RefusedInput) return { error: error.message };
    throw error;
  }
  return {};
}

export async function addToCartAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const result = await cartAction(formData, (sessionId, { productId, quantity }) => addToCart(sessionId, productId, Math.max(1, quantity)));
  if (result.error) return result;
  // The header's cart count is in the layout, which a redirect alone does not render again.
  revalidatePath("/", "layout");
  redirect("/checkout");
}

export async function setQuantityAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const result = await cartAction(formData, (sessionId, { productId, quantity }) => setQuantity(sessionId, productId, quantity));
  revalidatePath("/checkout");
  return result;
}

/** Demo panel: switch protection layers for this session (local Stripe only). */
export async function setProtectionsAction(formData: FormData): Promise<void> {
  if (!env().demoTools) return;
  const preset = formData.get("preset");
  const protections = Object.fromEntries(
    LAYERS.map((l) => [l.id, preset === "on" ? true : preset === "off" ? false : formData.get(l.id) === "on"]),
  ) as Protections;
  try {
    await saveProtections((await requireSession()).id, protections);
  } catch (error) {
    labRefused(error); // the panel is on the lab page
  }
  revalidatePath("/", "layout");
}
