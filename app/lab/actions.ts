"use server";
// The lab's actions (local mode only): start a story, switch the payment
// provider's faults by hand, put the mug in the cart, start over.
import type { Route } from "next";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { addToCart } from "@/lib/orders/cart.server";
import { db } from "@/lib/db/db.server";
import { env } from "@/lib/env.server";
import { resetLab, setLabFaults, startStory } from "@/lib/demo/lab.server";
import { storyById } from "@/lib/demo/stories";
import { FAILURE_MODES } from "@payonce/stripe-local/faults";
import { requireSession } from "@/lib/sessions/session.server";
import { labRefused } from "./refused.server";
import { armCrash } from "@/lib/demo/crash.server";
import { CRASH_POINTS } from "@/lib/orders/crash-points";

/**
 * Runs a lab step for this session; the local Stripe server being down, the
 * session refused or ended, or the mug not going in the cart is said on the
 * page, not thrown.
 */
async function labStep(step: (sessionId: string) => Promise<void>, done: Route): Promise<never> {
  if (!env().demoTools) redirect("/");
  try {
    await step((await requireSession()).id);
  } catch (error) {
    labRefused(error);
  }
  revalidatePath("/", "layout");
  redirect(done);
}

export async function startStoryAction(formData: FormData) {
  const story = storyById(String(formData.get("story")));
  if (!story) redirect("/lab?error=story");
  await labStep((sessionId) => startStory(sessionId, story), `/lab?story=${story.id}#now` as Route);
}

export async function resetLabAction() {
  await labStep(resetLab, "/lab?reset=1");
}

/** The story's first step: the mug in the cart, then the checkout. */
export async function addMugAction() {
  await labStep(async (sessionId) => {
    const mug = await db.product.findUniqueOrThrow({ where: { slug: "mug" } });
    await addToCart(sessionId, mug.id, 1);
  }, "/checkout");
}

const faultsForm = z.object({
  latencyMs: z.enum(["0", "1000", "3000"]).transform(Number),
  failMode: z.enum(["none", ...FAILURE_MODES]),
  failCount: z.coerce.number().int().min(1).max(5),
  webhookCopies: z.coerce.number().int().min(1).max(5),
  webhookDelayMs: z.enum(["0", "3000"]).transform(Number),
  webhookShuffle: z.literal("on").optional(),
});

const crashForm = z.object({ point: z.enum(["none", ...CRASH_POINTS]) });

/** Our server: the next checkout of this session dies at that point (`npm run dev` starts it again). */
export async function armCrashAction(formData: FormData) {
  const parsed = crashForm.safeParse(Object.fromEntries(formData));
  if (!parsed.success) redirect("/lab?error=crash");
  const { point } = parsed.data;
  await labStep((sessionId) => armCrash(sessionId, point === "none" ? null : point), "/lab#server");
}

export async function setFaultsAction(formData: FormData) {
  const parsed = faultsForm.safeParse(Object.fromEntries(formData));
  if (!parsed.success) redirect("/lab?error=faults");
  const f = parsed.data;
  await labStep(
    () =>
      setLabFaults({
        latencyMs: f.latencyMs,
        ...(f.failMode !== "none" && { createFails: { mode: f.failMode, count: f.failCount } }),
        webhookCopies: f.webhookCopies,
        webhookDelayMs: f.webhookDelayMs,
        webhookShuffle: !!f.webhookShuffle,
      }).then(() => undefined),
    "/lab?faults=1#provider",
  );
}
