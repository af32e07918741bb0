// The demo's summary of this session (local mode only): the clicks on Pay, and
// what each layer of protection turned away on the way to one order, one
// PaymentIntent and one charge. The lab's stories (e2e/lab.spec.ts) and the
// README's pictures read it by its test ids.
import Link from "next/link";
import { PayClicks, UiGuardCaught } from "@/app/lab/pay-clicks";
import { isFullyProtected, type Protections } from "@/lib/demo/protections";
import type { LedgerFigures } from "@/lib/demo/ledger.server";

type Props = {
  mine: LedgerFigures;
  protections: Protections;
  /** Calls the local Stripe server answered from its idempotency store; undefined when it was not read. */
  stripeReplays: number | undefined;
  /** Webhook redeliveries acknowledged with no effect, all sessions. */
  webhookDuplicates: number;
};

export function SessionStory({ mine, protections, stripeReplays, webhookDuplicates }: Props) {
  return (
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
            <td className="num">{stripeReplays ?? "—"}</td>
          </tr>
          <tr data-testid="caught-webhookDedupe">
            <td>Webhook dedupe: redelivered events acknowledged with no effect (all sessions; none while the layer is off: each is applied again)</td>
            <td className="num">{protections.webhookDedupe ? webhookDuplicates : 0}</td>
          </tr>
        </tbody>
      </table>
      <p className="muted small">
        Set up a failure story, switch layers or faults in the <Link href="/lab">lab</Link>.
      </p>
    </section>
  );
}
