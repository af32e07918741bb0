// The ledger's counts side by side, this session's and everyone's: requests
// and how they were answered, orders, and the payment side's PaymentIntents
// and charges ("—" where the payment side was not read).
import type { LedgerFigures } from "@/lib/demo/ledger.server";

const ROWS: { key: keyof LedgerFigures; label: string }[] = [
  { key: "requests", label: "Checkout requests received" },
  { key: "replays", label: "Replays (same key: the first attempt's result)" },
  { key: "waits", label: "Told to come back (attempt still running)" },
  { key: "resumed", label: "Resumed from a recovery point" },
  { key: "orders", label: "Orders" },
  { key: "paidOrders", label: "Orders paid" },
  { key: "paymentIntents", label: "PaymentIntents (payment side)" },
  { key: "charges", label: "Successful charges (payment side)" },
  { key: "failedCharges", label: "Declined charges (payment side)" },
];

export function Figures({ session, overall }: { session: LedgerFigures; overall: LedgerFigures }) {
  return (
    <table data-testid="ledger-figures">
      <thead>
        <tr>
          <th></th>
          <th className="num">This session</th>
          <th className="num">Overall</th>
        </tr>
      </thead>
      <tbody>
        {ROWS.map((row) => (
          <tr key={row.key} data-testid={`figure-${row.key}`}>
            <td>{row.label}</td>
            <td className="num">{session[row.key] ?? "—"}</td>
            <td className="num">{overall[row.key] ?? "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
