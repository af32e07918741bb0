"use server";
// Signing in with a link, and out. Both are safe to repeat by nature: the
// link is used once, and a repeat from the session it signed in finds it
// signed in; signing out twice is signing out.
import { redirect } from "next/navigation";
import { signInWithLink, signOut } from "@/lib/accounts.server";
import { RefusedInput } from "@payonce/kit";
import { requireSession } from "@/lib/session.server";

export async function signInWithLinkAction(form: FormData) {
  const token = String(form.get("token") ?? "").slice(0, 100);
  try {
    await signInWithLink((await requireSession()).id, token);
  } catch (error) {
    if (!(error instanceof RefusedInput)) throw error;
    redirect(`/account/sign-in?token=${encodeURIComponent(token)}`); // which says why
  }
  redirect("/account");
}

export async function signOutAction() {
  await signOut((await requireSession()).id);
  redirect("/account");
}
