import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { randomUUID } from "node:crypto";
import { isRecordId } from "@/lib/orders/checkout-schema";
import { db } from "@/lib/db/db.server";
import { sessionProtections } from "@/lib/demo/protections.server";
import { formatMoney } from "@/lib/money";
import { requirePageAccess } from "@/lib/sessions/page-access.server";
import { currentSessionId } from "@/lib/sessions/session.server";
import { RefundForm, ShipForm } from "./forms";

export const metadata: Metadata = { title: "Admin · Order" };
export const dynamic = "force-dynamic";

export default async function AdminOrderPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ form?: string; result?: string }>;
}) {
  await requirePageAccess();
  const { id } = await params;
  const order = isRecordId(id) ? await db.order.findUnique({ where: { id }, include: { items: true, refunds: { orderBy: { createdAt: "asc" } } } }) : null;
  if (!order) notFound();
  const protections = await sessionProtections(await currentSessionId());
  const { form, result } = await searchParams;
  const common = (name: string) => ({
    orderId: order.id,
    serverKey: randomUUID(),
    uiGuard: protections.uiGuard,
    plainResult: form === name ? result : undefined,
  });
  const money = (cents: number) => formatMoney(cents, order.currency);
  const left = order.amountCents - order.refundReservedCents;

  return (
    <div className="stack">
      <p>
        <Link href="/admin">All orders</Link>
      </p>
      <h1>Order {order.id}</h1>
      <div className="card">
        <p>
          <span className={`badge ${order.status}`} data-testid="admin-order-status">
            {order.status.replace("_", " ")}
          </span>{" "}
          {money(order.amountCents)} from {order.email}
        </p>
        <p className="small">
          {order.items.map((i) => `${i.quantity} × ${i.name}`).join(", ")}
          <br />
          PaymentIntent: <code>{order.paymentIntentId ?? "none"}</code>
          <br />
          Refunded: <span data-testid="refunded">{money(order.refundedCents)}</span> · Shipped:{" "}
          <span data-testid="shipped">{order.shippedAt ? order.shippedAt.toISOString().replace("T", " ").slice(0, 16) + " UTC" : "not yet"}</span>
        </p>
        {order.refunds.length > 0 && (
          <table>
            <thead>
              <tr>
                <th>Refund</th>
                <th className="num">Amount</th>
                <th>Status</th>
                <th>At Stripe</th>
              </tr>
            </thead>
            <tbody>
              {order.refunds.map((r) => (
                <tr key={r.id} data-testid="refund-row">
                  <td>{r.id}</td>
                  <td className="num">{money(r.amountCents)}</td>
                  <td>{r.status + (r.failure ? `: ${r.failure}` : "")}</td>
                  <td>
                    <code>{r.stripeRefundId ?? ""}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      {order.status === "paid" && left > 0 && <RefundForm leftToRefund={money(left)} {...common("refund")} />}
      {order.status === "paid" && (!order.shippedAt || !protections.businessUniqueness) && <ShipForm {...common("ship")} />}
    </div>
  );
}
