import type { Metadata } from "next";
import Link from "next/link";
import { db } from "@/lib/db/db.server";
import { formatMoney } from "@/lib/money";
import { requirePageAccess } from "@/lib/sessions/page-access.server";

export const metadata: Metadata = { title: "Admin" };
export const dynamic = "force-dynamic";

/** The merchant's order list (who may see it: proxy.ts and lib/sessions/admin-auth.server.ts). */
export default async function AdminPage() {
  await requirePageAccess();
  const orders = await db.order.findMany({ orderBy: { createdAt: "desc" }, take: 100 });
  return (
    <div className="stack">
      <h1>Orders</h1>
      <p className="muted small">The newest 100, from every customer.</p>
      <table>
        <thead>
          <tr>
            <th>Order</th>
            <th>Placed (UTC)</th>
            <th>Customer</th>
            <th>Status</th>
            <th className="num">Amount</th>
            <th className="num">Refunded</th>
            <th>Shipped</th>
          </tr>
        </thead>
        <tbody>
          {orders.map((o) => (
            <tr key={o.id}>
              <td>
                <Link href={`/admin/orders/${o.id}`}>{o.id}</Link>
              </td>
              <td>{o.createdAt.toISOString().replace("T", " ").slice(0, 16)}</td>
              <td>{o.email}</td>
              <td>
                <span className={`badge ${o.status}`}>{o.status.replace("_", " ")}</span>
              </td>
              <td className="num">{formatMoney(o.amountCents, o.currency)}</td>
              <td className="num">{o.refundedCents > 0 ? formatMoney(o.refundedCents, o.currency) : ""}</td>
              <td>{o.shippedAt ? "yes" : ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {orders.length === 0 && <p className="muted">No orders yet.</p>}
    </div>
  );
}
