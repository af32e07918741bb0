// The other side of the ledger: this session's PaymentIntents as the payment
// side holds them, with every charge made on each. One succeeded charge per
// paid order is the whole promise; with real Stripe they are not read here.
import type { Ledger } from "@/lib/demo/ledger.server";
import { formatMoney } from "@/lib/money";

export function YourPaymentIntents({ paymentSide, paymentIntents }: { paymentSide: Ledger["paymentSide"]; paymentIntents: Ledger["paymentIntents"] }) {
  return (
    <>
      <h2>Your PaymentIntents, as the payment side sees them</h2>
      {paymentSide !== "read" ? (
        <p className="muted">Not read.</p>
      ) : paymentIntents.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <table data-testid="ledger-payment-intents">
          <thead>
            <tr>
              <th>PaymentIntent</th>
              <th>Order</th>
              <th>Status</th>
              <th className="num">Amount</th>
              <th>Charges</th>
            </tr>
          </thead>
          <tbody>
            {paymentIntents.map((pi) => (
              <tr key={pi.id}>
                <td>
                  <code>{pi.id}</code>
                </td>
                <td>
                  <code>{pi.orderId}</code>
                </td>
                <td>
                  <span className={`badge ${pi.status}`}>{pi.status}</span>
                </td>
                <td className="num">{formatMoney(pi.amount, pi.currency)}</td>
                <td className="small">
                  {pi.charges.map((c) => (
                    <div key={c.id}>
                      <code>{c.id}</code> <span className={`badge ${c.status}`}>{c.status}</span>
                    </div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
