import type { Metadata } from "next";
import Link from "next/link";
import { ledgerIsPublic } from "@/lib/sessions/admin-auth.server";
import { cartTotals, openCart } from "@/lib/orders/cart.server";
import { env } from "@/lib/env.server";
import { currentSessionId } from "@/lib/sessions/session.server";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "PayOnce", template: "%s · PayOnce" },
  description: "A storefront that charges exactly once, however often Pay is clicked.",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const sessionId = await currentSessionId();
  const { count } = cartTotals(sessionId ? await openCart(sessionId) : null);
  // With real Stripe the ledger is the admin's (proxy.ts): no link a shopper would meet a password prompt behind.
  const ledgerOpen = ledgerIsPublic();
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          <Link href="/" className="brand">
            PayOnce
          </Link>
          <nav aria-label="Main">
            <Link href="/">Shop</Link>
            <Link href="/checkout" data-testid="cart-link">
              Cart{count > 0 ? ` (${count})` : ""}
            </Link>
            <Link href="/account">Account</Link>
            {ledgerOpen && <Link href="/ledger">Ledger</Link>}
            {env().demoTools && <Link href="/lab">Lab</Link>}
            {env().demoTools && <Link href="/admin">Admin</Link>}
          </nav>
        </header>
        <main>{children}</main>
        <footer className="site-footer">
          A reference storefront: click Pay as often as you like
          {ledgerOpen ? (
            <>
              , then check the <Link href="/ledger">ledger</Link>.
            </>
          ) : (
            "."
          )}
        </footer>
      </body>
    </html>
  );
}
