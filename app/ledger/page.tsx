import type { Metadata } from "next";
import Link from "next/link";
import { PayClicks, UiGuardCaught } from "@/app/lab/pay-clicks";
import { AttemptDiagram, caughtBy } from "./attempt-diagram";
import { ledgerAccess } from "@/lib/admin-auth.server";
import { requirePageAccess } from "@/lib/page-access.server";
import { env } from "@/lib/env.server";
import { ledger, type LedgerFigures } from "@/lib/ledger.server";
import { formatMoney } from "@/lib/money";
import { isFullyProtected } from "@/lib/demo/protections";
import { paymentSideLog } from "@/lib/demo/lab.server";
import { sessionProtections } from "@/lib/demo/protections.server";
import { currentSessionId } from "@/lib/session.server";

export const metadata: Metadata = { title: "Ledger" };
export const dynamic = "force-dynamic";

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

const time = (d: Date) => d.toISOString().slice(11, 23);

export default async function LedgerPage() {
  await requirePageAccess(ledgerAccess);
  const sessionId = await currentSessionId();
  const { demoTools, stripe } = env();
  const [data, protections, sideLog] = await Promise.all([
    ledger(sessionId),
    sessionProtections(sessionId),
    demoTools ? paymentSideLog().catch(() => null) : null,
  ]);
  const replays = sideLog?.replays;
  const deliveriesFor = (paymentIntentId: string | null | undefined) =>
    paymentIntentId ? (sideLog?.deliveries ?? []).filter((d) => d.objectId === paymentIntentId) : [];
  const mine = data.session;

  return (
    <div className="stack">
      <h1>Ledger</h1>
      <p className="muted">
        What this app recorded, next to what the payment side ({stripe.mode === "local" ? "the local Stripe server" : "Stripe test mode"}) holds. However often
        you click Pay, each checkout should show one order, one PaymentIntent and one successful charge.
      </p>
      {data.paymentSide === "unreachable" && <p className="notice error">The payment side did not answer; its figures are missing.</p>}
      {data.paymentSide === "not-read" && (
        <p className="notice" data-testid="ledger-own-records">
          With real Stripe this page shows the shop&apos;s own records only and makes no Stripe call: compare them with the Stripe Dashboard.
        </p>
      )}

      {demoTools && (
        <section className="card" aria-labelledby="story-heading">
          <h2 id="story-heading" style={{ marginTop: 0 }}>
            This session&apos;s story{" "}
            {isFullyProtected(protections) ? <span className="badge paid">all layers on</span> : <span className="badge failed">some layers off</span>}
          </h2>
          <table data-testid="ledger-story">
            <thead>
              <tr>
                <th className="num">Clicks on Pay (this tab)</th>
                <th className="num">Requests</th>
                <th className="num">Replayed · told to wait · resumed</th>
                <th className="num">Orders</th>
                <th className="num">PaymentIntents</th>
                <th className="num">Charges</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <td className="num" data-testid="story-clicks">
                  <PayClicks />
                </td>
                <td className="num" data-testid="story-requests">
                  {mine.requests}
                </td>
                <td className="num">
                  {mine.replays} · {mine.waits} · {mine.resumed}
                </td>
                <td className="num" data-testid="story-orders">
                  {mine.orders}
                </td>
                <td className="num" data-testid="story-paymentIntents">
                  {mine.paymentIntents ?? "—"}
                </td>
                <td className="num" data-testid="story-charges">
                  {mine.charges ?? "—"}
                </td>
              </tr>
            </tbody>
          </table>
          <h3>Caught by</h3>
          <table data-testid="ledger-caught-by">
            <tbody>
              <tr data-testid="caught-uiGuard">
                <td>UI guard: clicks that never left the browser</td>
                <td className="num">
                  <UiGuardCaught requests={mine.requests} />
                </td>
              </tr>
              <tr data-testid="caught-idempotencyKey">
                <td>Idempotency key: requests answered with the first attempt&apos;s result, or told to wait for it</td>
                <td className="num">{mine.replays + mine.waits}</td>
              </tr>
              <tr data-testid="caught-businessUniqueness">
                <td>Business uniqueness: second checkouts of one cart that joined its order</td>
                <td className="num">{mine.joined}</td>
              </tr>
              <tr data-testid="caught-stripeKey">
                <td>Stripe&apos;s idempotency: calls Stripe answered from its record of the key (our derived keys, the SDK&apos;s retries)</td>
                <td className="num">{replays ?? "—"}</td>
              </tr>
              <tr data-testid="caught-webhookDedupe">
                <td>Webhook dedupe: redelivered events acknowledged with no effect (all sessions; none while the layer is off: each is applied again)</td>
                <td className="num">{protections.webhookDedupe ? data.webhooks.duplicate : 0}</td>
              </tr>
            </tbody>
          </table>
          <p className="muted small">
            Set up a failure story, switch layers or faults in the <Link href="/lab">lab</Link>.
          </p>
        </section>
      )}

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
              <td className="num">{data.session[row.key] ?? "—"}</td>
              <td className="num">{data.overall[row.key] ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>Fulfillment</h2>
      <table data-testid="ledger-fulfillment">
        <tbody>
          <tr>
            <td>
              Confirmation e-mails (this session
              {demoTools ? (
                <>
                  , see <Link href="/mail">mail</Link>
                </>
              ) : null}
              )
            </td>
            <td className="num">{data.jobs.session.emails}</td>
          </tr>
          <tr>
            <td>Loyalty points granted (this session: grants, points)</td>
            <td className="num">
              {data.jobs.session.pointsGrants}, {data.jobs.session.points}
            </td>
          </tr>
          <tr>
            <td>Shipments (this session)</td>
            <td className="num">{data.jobs.session.shipments}</td>
          </tr>
          <tr>
            <td>Jobs, all sessions: queued · running · done · dead</td>
            <td className="num">
              {data.jobs.states.queued} · {data.jobs.states.running} · {data.jobs.states.done} · {data.jobs.states.dead}
            </td>
          </tr>
        </tbody>
      </table>
      {data.jobs.dead.length > 0 && (
        <table data-testid="ledger-dead-jobs">
          <thead>
            <tr>
              <th>Dead job</th>
              <th>Order</th>
              <th className="num">Attempts</th>
              <th>Last error</th>
            </tr>
          </thead>
          <tbody>
            {data.jobs.dead.map((j) => (
              <tr key={j.id}>
                <td>{j.id}</td>
                <td>
                  <code>{j.orderId}</code>
                </td>
                <td className="num">{j.attempts}</td>
                <td className="small">{j.lastError}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>Webhook deliveries (all sessions)</h2>
      <table data-testid="ledger-webhooks">
        <tbody>
          <tr>
            <td>Received</td>
            <td className="num">{data.webhooks.received}</td>
          </tr>
          <tr>
            <td>Accepted and applied (one per event)</td>
            <td className="num">{data.webhooks.accepted}</td>
          </tr>
          <tr>
            <td>Duplicates (redeliveries, acknowledged, no effect)</td>
            <td className="num">{data.webhooks.duplicate}</td>
          </tr>
          <tr>
            <td>Rejected (bad or stale signature; counted by this process only, since nothing is written)</td>
            <td className="num">{data.webhooks.rejected}</td>
          </tr>
          <tr>
            <td>Rejected: Stripe&apos;s own data contradicts the event (order, amount, currency or state)</td>
            <td className="num">{data.webhooks.contradicted.length}</td>
          </tr>
          <tr>
            <td>Waiting for a redelivery (failed or ahead of their order)</td>
            <td className="num">{data.webhooks.pending}</td>
          </tr>
        </tbody>
      </table>
      {data.webhooks.contradicted.length > 0 && (
        <ul className="small" data-testid="ledger-webhooks-contradicted">
          {data.webhooks.contradicted.slice(0, 20).map((e) => (
            <li key={e.eventId}>
              <code>{e.eventId}</code> ({e.type}): {e.rejectedReason}
            </li>
          ))}
        </ul>
      )}

      <h2>Your orders</h2>
      {data.orders.length === 0 ? (
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
            {data.orders.map((o) => (
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

      <h2>Your PaymentIntents, as the payment side sees them</h2>
      {data.paymentSide !== "read" ? (
        <p className="muted">Not read.</p>
      ) : data.paymentIntents.length === 0 ? (
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
            {data.paymentIntents.map((pi) => (
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

      <h2>Checkout attempts (newest first)</h2>
      {data.attempts.length === 0 ? (
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
            {data.attempts.map((a) => (
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
    </div>
  );
}
