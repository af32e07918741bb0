// This session's checkout attempts, newest first: the key, the recovery point
// it reached, what it ended as, which layer caught its repeats, and its
// timeline, also drawn as a sequence diagram (attempt-diagram.tsx) with the
// webhook deliveries about its PaymentIntent.
import type { WebhookDelivery } from "@/lib/demo/lab.server";
import type { Ledger } from "@/lib/demo/ledger.server";
import { AttemptDiagram, caughtBy } from "./attempt-diagram";

const time = (d: Date) => d.toISOString().slice(11, 23);

/** `deliveries`: every webhook delivery the local Stripe server logged (none when it was not read). */
export function CheckoutAttempts({ attempts, deliveries }: { attempts: Ledger["attempts"]; deliveries: WebhookDelivery[] }) {
  const deliveriesFor = (paymentIntentId: string | null | undefined) => (paymentIntentId ? deliveries.filter((d) => d.objectId === paymentIntentId) : []);
  return (
    <>
      <h2>Checkout attempts (newest first)</h2>
      {attempts.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <table data-testid="ledger-attempts">
          <thead>
            <tr>
              <th>Key</th>
              <th>Recovery point</th>
              <th>Result</th>
              <th>Caught by</th>
              <th>Timeline (UTC)</th>
            </tr>
          </thead>
          <tbody>
            {attempts.map((a) => (
              <tr key={a.id}>
                <td>
                  <code title={a.key}>{a.key.slice(0, 13)}…</code>
                </td>
                <td>{a.recoveryPoint}</td>
                <td>
                  {a.outcome ? (JSON.parse(a.outcome) as { kind: string }).kind : a.lastError ? <span title={a.lastError}>retryable error</span> : "running"}
                </td>
                <td className="small">{caughtBy(a.events, deliveriesFor(a.order?.paymentIntentId))}</td>
                <td>
                  <ol className="timeline">
                    {a.events.map((e) => (
                      <li key={e.id}>
                        {time(e.createdAt)} {e.kind}
                        {e.detail ? ` (${e.detail})` : ""}
                      </li>
                    ))}
                  </ol>
                  <details>
                    <summary className="small">As a sequence diagram</summary>
                    <AttemptDiagram events={a.events} deliveries={deliveriesFor(a.order?.paymentIntentId)} job={a.job} />
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
