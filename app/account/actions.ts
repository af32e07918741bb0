"use server";
// Signing in with a link, and out. Both are safe to repeat by nature: the
// link is used once, and a repeat from the session it signed in finds it
// signed in; signing out twice is signing out.
import type { Route } from "next";
import { redirect } from "next/navigation";
import { signInWithLink, signOut } from "@/lib/forms/accounts.server";
import { RefusedInput } from "@payonce/kit";
import { currentSessionId, requireSession, sessionRefusalQuery } from "@/lib/sessions/session.server";

export async function signInWithLinkAction(form: FormData) {
  const token = String(form.get("token") ?? "").slice(0, 100);
  try {
    await signInWithLink((await requireSession()).id, token);
  } catch (error) {
    if (!(error instanceof RefusedInput)) throw error;
    // The page says why: the session's refusal by its code, the link's by itself.
    const refusal = sessionRefusalQuery(error);
    redirect(`/account/sign-in?token=${encodeURIComponent(token)}${refusal ? `&${refusal}` : ""}` as Route);
  }
  redirect("/account");
}

/** Signs out the session the cookie names, if it is stored at all: never stores one just to sign it out. */
export async function signOutAction() {
  const sessionId = await currentSessionId();
  if (sessionId) await signOut(sessionId);
  redirect("/account");
}
