import type { Metadata } from "next";
import { randomUUID } from "node:crypto";
import { sessionCustomer } from "@/lib/forms/accounts.server";
import { db } from "@/lib/db/db.server";
import { sessionProtections } from "@/lib/demo/protections.server";
import { env } from "@/lib/env.server";
import { currentSessionId } from "@/lib/sessions/session.server";
import { signOutAction } from "./actions";
import { AddressForm, DeleteAddressForm, NewsletterForm, SignInForm } from "./forms";

export const metadata: Metadata = { title: "Account" };
export const dynamic = "force-dynamic";

export default async function AccountPage({ searchParams }: { searchParams: Promise<{ form?: string; result?: string }> }) {
  const sessionId = await currentSessionId();
  const [customer, protections] = await Promise.all([sessionCustomer(sessionId), sessionProtections(sessionId)]);
  const { form, result } = await searchParams;
  // Every form gets its own server key (the attempt key before hydration) and the demo's switches.
  const common = (name: string) => ({ serverKey: randomUUID(), uiGuard: protections.uiGuard, plainResult: form === name ? result : undefined });

  if (!customer) {
    return (
      <div className="stack">
        <h1>Sign in or create an account</h1>
        <SignInForm {...common("sign-in")} />
        {env().demoTools && <p className="small muted">Local mode: the e-mail arrives in the shop&apos;s own mailbox, on the Mail page.</p>}
      </div>
    );
  }
  const [subscriptions, addresses] = await Promise.all([
    db.newsletterSubscription.count({ where: { customerId: customer.id } }),
    db.address.findMany({ where: { customerId: customer.id }, orderBy: { createdAt: "asc" } }),
  ]);
  return (
    <div className="stack">
      <h1>Your account</h1>
      <form action={signOutAction} className="card">
        <p style={{ marginTop: 0 }}>
          Signed in as <strong data-testid="signed-in-as">{customer.email}</strong>
        </p>
        <button type="submit">Sign out</button>
      </form>
      <NewsletterForm subscribed={subscriptions > 0} {...common("newsletter")} />
      <section className="stack" aria-labelledby="addresses-heading">
        <h2 id="addresses-heading">Address book</h2>
        {addresses.length === 0 && <p className="muted">No addresses yet.</p>}
        {addresses.map((a) => (
          <details key={a.id} className="card" data-testid="address">
            <summary>
              {a.name}, {a.line1}, {a.postalCode} {a.city}, {a.country}
            </summary>
            <AddressForm address={a} {...common("address-edit")} />
            <DeleteAddressForm addressId={a.id} {...common("address-delete")} />
          </details>
        ))}
        <AddressForm {...common("address-add")} />
      </section>
    </div>
  );
}
