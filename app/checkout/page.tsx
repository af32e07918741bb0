import type { Metadata } from "next";
import Link from "next/link";
import { randomUUID } from "node:crypto";
import { CheckoutForm } from "./checkout-form";
import { QuantityForm } from "./quantity-form";
import { MESSAGES } from "./submit-checkout";
import { cartTotals, checkoutCart } from "@/lib/orders/cart.server";
import { formatMoney } from "@/lib/money";
import { env } from "@/lib/env.server";
import { CountPayClicks } from "@/app/lab/pay-clicks";
import { sessionProtections } from "@/lib/demo/protections.server";
import { currentSessionId } from "@/lib/sessions/session.server";

export const metadata: Metadata = { title: "Checkout" };
export const dynamic = "force-dynamic";

const RESULTS = { ...MESSAGES, declined: "Your card was declined.", error: "Something went wrong with that payment. Try again." } as const;
const FINAL = new Set(["declined", "mismatch", "error"]);

export default async function CheckoutPage({ searchParams }: { searchParams: Promise<{ result?: string }> }) {
  const { result } = await searchParams;
  const resultKey = result && result in RESULTS ? (result as keyof typeof RESULTS) : undefined;
  const sessionId = await currentSessionId();
  const { cart, order } = sessionId ? await checkoutCart(sessionId) : { cart: null, order: null };
  const protections = await sessionProtections(sessionId);

  if (!cart || cart.items.length === 0) {
    return (
      <>
        <h1>Checkout</h1>
        <p className="card">
          Your cart is empty. <Link href="/">Browse the shop</Link>.
        </p>
      </>
    );
  }
  // Plain-form demo mode reports its outcome through the redirect's ?result=.
  const notice = resultKey && {
    message: (resultKey === "declined" && order?.paymentError) || RESULTS[resultKey],
    final: FINAL.has(resultKey),
  };
  const totals = cartTotals(cart);
  const total = formatMoney(totals.amountCents, totals.currency);
  const editable = cart.status === "open";
  return (
    <>
      <h1>Checkout</h1>
      {order?.status === "payment_failed" && (
        <p className="notice error">Your last payment was declined{order.paymentError ? `: ${order.paymentError}` : ""} Choose another card.</p>
      )}
      {order?.status === "awaiting_payment" && (
        <p className="notice warn">A payment for this order was started. Press Pay to see its result; you will not be charged twice.</p>
      )}
      <div className="checkout">
        <section className="card" aria-labelledby="cart-heading">
          <h2 id="cart-heading" style={{ marginTop: 0 }}>
            Your cart
          </h2>
          <table>
            <thead>
              <tr>
                <th>Item</th>
                <th className="num">Price</th>
                <th className="num">Qty</th>
                <th className="num">Subtotal</th>
              </tr>
            </thead>
            <tbody>
              {cart.items.map((item) => (
                <tr key={item.id}>
                  <td>{item.product.name}</td>
                  <td className="num">{formatMoney(item.product.priceCents, item.product.currency)}</td>
                  <td className="num">
                    {editable ? <QuantityForm productId={item.productId} quantity={item.quantity} name={item.product.name} /> : item.quantity}
                  </td>
                  <td className="num">{formatMoney(item.product.priceCents * item.quantity, item.product.currency)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th colSpan={3}>Total</th>
                <td className="num price" data-testid="cart-total">
                  {total}
                </td>
              </tr>
            </tfoot>
          </table>
          <p className="muted small">Prices are computed on the server from the catalog.</p>
        </section>
        {env().demoTools && <CountPayClicks />}
        <CheckoutForm cartId={cart.id} serverKey={randomUUID()} email={order?.email} uiGuard={protections.uiGuard} total={total} notice={notice || undefined} />
      </div>
    </>
  );
}
