// What our webhook endpoint did with the payment side's events, all sessions
// (events are not tied to one): applied once each, redeliveries acknowledged
// with no effect, bad signatures rejected, and events Stripe's own data
// contradicts, listed with the reason.
import type { Ledger } from "@/lib/demo/ledger.server";

export function WebhookDeliveries({ webhooks }: { webhooks: Ledger["webhooks"] }) {
  return (
    <>
      <h2>Webhook deliveries (all sessions)</h2>
      <table data-testid="ledger-webhooks">
        <tbody>
          <tr>
            <td>Received</td>
            <td className="num">{webhooks.received}</td>
          </tr>
          <tr>
            <td>Accepted and applied (one per event)</td>
            <td className="num">{webhooks.accepted}</td>
          </tr>
          <tr>
            <td>Duplicates (redeliveries, acknowledged, no effect)</td>
            <td className="num">{webhooks.duplicate}</td>
          </tr>
          <tr>
            <td>Rejected (bad or stale signature; counted by this process only, since nothing is written)</td>
            <td className="num">{webhooks.rejected}</td>
          </tr>
          <tr>
            <td>Rejected: Stripe&apos;s own data contradicts the event (order, amount, currency or state)</td>
            <td className="num">{webhooks.contradicted.length}</td>
          </tr>
          <tr>
            <td>Waiting for a redelivery (failed or ahead of their order)</td>
            <td className="num">{webhooks.pending}</td>
          </tr>
        </tbody>
      </table>
      {webhooks.contradicted.length > 0 && (
        <ul className="small" data-testid="ledger-webhooks-contradicted">
          {webhooks.contradicted.slice(0, 20).map((e) => (
            <li key={e.eventId}>
              <code>{e.eventId}</code> ({e.type}): {e.rejectedReason}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
