import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { sessionCustomer, signInLinkEmail } from "@/lib/forms/accounts.server";
import { db } from "@/lib/db/db.server";
import { currentSessionId, sessionRefusalMessage } from "@/lib/sessions/session.server";
import { signInWithLinkAction } from "../actions";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

/**
 * Where a sign-in link lands. Opening it signs nobody in (mail scanners open
 * links too): the person confirms with a button.
 */
export default async function SignInPage({ searchParams }: { searchParams: Promise<{ token?: string; refused?: string; minutes?: string }> }) {
  const params = await searchParams;
  const token = String(params.token ?? "").slice(0, 100);
  const refusal = sessionRefusalMessage(params);
  const email = token ? await signInLinkEmail(token) : null;
  if (!email) {
    // Used already, by this very session (a reload, the back button): it is signed in.
    const link = token ? await db.signInLink.findUnique({ where: { token } }) : null;
    const customer = await sessionCustomer(await currentSessionId());
    if (link && customer?.email === link.email) redirect("/account");
    return (
      <div className="stack">
        <h1>Sign in</h1>
        <p className="notice warn">This sign-in link was used already or has expired.</p>
        <p>
          <Link href="/account">Ask for a new one</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="stack">
      <h1>Sign in</h1>
      {refusal && (
        <p className="notice error" role="alert" data-testid="sign-in-refused">
          {refusal}
        </p>
      )}
      <form action={signInWithLinkAction} className="card">
        <input type="hidden" name="token" value={token} />
        <p>
          Sign in as <strong>{email}</strong>?
        </p>
        <button type="submit" data-testid="confirm-sign-in">
          Sign in
        </button>
      </form>
    </div>
  );
}
