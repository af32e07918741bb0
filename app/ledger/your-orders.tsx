// This session's orders as our database holds them (newest first), each
// linked to its page: the side of the ledger the shop itself wrote.
import Link from "next/link";
import type { Ledger } from "@/lib/demo/ledger.server";
import { formatMoney } from "@/lib/money";

export function YourOrders({ orders }: { orders: Ledger["orders"] }) {
  return (
    <>
      <h2>Your orders</h2>
      {orders.length === 0 ? (
        <p className="muted">
          None yet. <Link href="/">Buy something</Link>.
        </p>
      ) : (
        <table data-testid="ledger-orders">
          <thead>
            <tr>
              <th>Order</th>
              <th>Status</th>
              <th className="num">Amount</th>
              <th>PaymentIntent</th>
            </tr>
          </thead>
          <tbody>
            {orders.map((o) => (
              <tr key={o.id}>
                <td>
                  <Link href={`/orders/${o.id}`}>
                    <code>{o.id}</code>
                  </Link>
                </td>
                <td>
                  <span className={`badge ${o.status}`}>{o.status}</span>
                </td>
                <td className="num">{formatMoney(o.amountCents, o.currency)}</td>
                <td>
                  <code>{o.paymentIntentId ?? "—"}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
