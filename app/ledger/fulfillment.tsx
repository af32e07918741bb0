// What paying set off (lib/worker/fulfillment.server.ts): this session's e-mails,
// points and shipments, each of which should be one per paid order, every
// job's state, and the jobs that gave up (dead), with their last error.
import Link from "next/link";
import type { Ledger } from "@/lib/demo/ledger.server";

export function Fulfillment({ jobs, demoTools }: { jobs: Ledger["jobs"]; demoTools: boolean }) {
  return (
    <>
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
            <td className="num">{jobs.session.emails}</td>
          </tr>
          <tr>
            <td>Loyalty points granted (this session: grants, points)</td>
            <td className="num">
              {jobs.session.pointsGrants}, {jobs.session.points}
            </td>
          </tr>
          <tr>
            <td>Shipments (this session)</td>
            <td className="num">{jobs.session.shipments}</td>
          </tr>
          <tr>
            <td>Jobs, all sessions: queued · running · done · dead</td>
            <td className="num">
              {jobs.states.queued} · {jobs.states.running} · {jobs.states.done} · {jobs.states.dead}
            </td>
          </tr>
        </tbody>
      </table>
      {jobs.dead.length > 0 && (
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
            {jobs.dead.map((j) => (
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
    </>
  );
}
