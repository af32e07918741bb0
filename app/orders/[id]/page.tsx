import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { isRecordId } from "@/lib/orders/checkout-schema";
import { ForgetAttempt } from "./forget-attempt";
import { db } from "@/lib/db/db.server";
import { ledgerIsPublic } from "@/lib/sessions/admin-auth.server";
import { formatMoney } from "@/lib/money";
import { currentSessionId } from "@/lib/sessions/session.server";
import { sessionProtections } from "@/lib/demo/protections.server";
import { randomUUID } from "node:crypto";
import { ReviewForm } from "./review-form";

export const metadata: Metadata = { title: "Order" };
export const dynamic = "force-dynamic";

const STATUS_TEXT = { paid: "Paid", payment_failed: "Payment declined", awaiting_payment: "Awaiting payment", refunded: "Refunded" } as const;

export default async function OrderPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ form?: string; result?: string }>;
}) {
  const { id } = await params;
  const { form, result } = await searchParams;
  const sessionId = await currentSessionId();
  // Only the session that placed an order may see it.
  const order =
    sessionId && isRecordId(id)
      ? await db.order.findFirst({ where: { id, sessionId }, include: { items: { orderBy: { id: "asc" } }, reviews: { orderBy: { createdAt: "asc" } } } })
      : null;
  if (!order) notFound();
  const protections = await sessionProtections(sessionId);

  return (
    <div className="stack">
      <h1>Order {order.id}</h1>
      {order.status === "paid" && <ForgetAttempt cartId={order.cartId} />}
      <div className="card">
        <p>
          <span className={`badge ${order.status}`} data-testid="order-status">
            {STATUS_TEXT[order.status]}
          </span>{" "}
          <span className="price" data-testid="order-amount">
            {formatMoney(order.amountCents, order.currency)}
          </span>
        </p>
        {order.notice && (
          <p className="notice warn" data-testid="order-notice">
            {order.notice}
          </p>
        )}
        <p className="small">
          PaymentIntent: <code data-testid="payment-intent">{order.paymentIntentId ?? "none yet"}</code>
          <br />
          Receipt to: {order.email}
          {order.paidAt && (
            <>
              <br />
              Paid at {order.paidAt.toISOString().replace("T", " ").slice(0, 19)} UTC
            </>
          )}
        </p>
        <table>
          <thead>
            <tr>
              <th>Item</th>
              <th className="num">Qty</th>
              <th className="num">Subtotal</th>
            </tr>
          </thead>
          <tbody>
            {order.items.map((i) => (
              <tr key={i.id}>
                <td>{i.name}</td>
                <td className="num">{i.quantity}</td>
                <td className="num">{formatMoney(i.unitPriceCents * i.quantity, order.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {(order.status === "awaiting_payment" || order.status === "payment_failed") && (
          <p>
            <Link href="/checkout">Pay for this order</Link>
          </p>
        )}
      </div>
      {order.status === "paid" && (
        <section className="stack" aria-labelledby="reviews-heading">
          <h2 id="reviews-heading">Reviews</h2>
          {order.reviews.map((r) => (
            <blockquote key={r.id} className="card" data-testid="review">
              {"★".repeat(r.rating)} {r.text}
            </blockquote>
          ))}
          {order.items
            .filter((i) => !order.reviews.some((r) => r.productId === i.productId) || !protections.businessUniqueness)
            .map((i) => (
              <ReviewForm
                key={i.id}
                orderId={order.id}
                productId={i.productId}
                productName={i.name}
                serverKey={randomUUID()}
                uiGuard={protections.uiGuard}
                plainResult={form === "review" ? result : undefined}
              />
            ))}
        </section>
      )}
      <p>
        {ledgerIsPublic() && (
          <>
            <Link href="/ledger">See it on the ledger</Link> ·{" "}
          </>
        )}
        <Link href="/">Keep shopping</Link>
      </p>
    </div>
  );
}
