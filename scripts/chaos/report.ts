// The campaign's report: what was done (requests, faults by kind), what came
// of it (orders, charges, refunds), each invariant's checks, and for every
// violation the affected order's timeline from the ledger's own records and
// the server's log lines for the requests it concerns, and the command that
// plays the same seed again. Printed, and saved as Markdown in the campaign's
// log folder, so that a CI failure explains itself from its output alone.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { db } from "../../lib/db/db.server";
import type { Exchanges } from "./exchanges";
import { FAULT_KINDS, type Faults } from "./faults";
import { isPageDuringOutage, type Check, type Violation } from "./invariants";
import { serverLines } from "./server-logs";

export type Campaign = { seed: number; db: string; instances: number; minutes: number; unprotected: boolean; customers: number };

const table = (header: string[], rows: (string | number)[][]) =>
  [`| ${header.join(" | ")} |`, `|${header.map((_, i) => (i === 0 ? "---" : "--:")).join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");

export const replayCommand = (c: Campaign) =>
  `npm run chaos -- --seed ${c.seed} --db ${c.db} --minutes ${c.minutes} --instances ${c.instances} --customers ${c.customers}${c.unprotected ? " --unprotected" : ""}`;

type Delivery = { objectId: string | null; type: string; deliveries: { attempts: { at: string; status: number | null; body?: string }[] }[] };

/** One order's story, in time order, from our records and the provider's. */
async function timeline(orderId: string, stripeBase: string, account: string): Promise<string[]> {
  const order = await db.order.findUnique({
    where: { id: orderId },
    include: { attempts: { include: { events: true } }, refunds: true },
  });
  if (!order) return [`order ${orderId}: not in our database`];
  const job = await db.job.findUnique({ where: { orderId }, include: { steps: true } });
  const side = (await (await fetch(`${stripeBase}/_control/ledger?account=${encodeURIComponent(account)}`)).json()) as {
    paymentIntents: {
      id: string;
      created: number;
      status: string;
      metadata: Record<string, string>;
      charges: { id: string; status: string; amount: number }[];
    }[];
    events: Delivery[];
  };
  const intents = side.paymentIntents.filter((pi) => pi.metadata.order_id === orderId);
  const lines: [Date, string][] = [
    [order.createdAt, `order created (${order.amountCents} ${order.currency}), session ${order.sessionId.slice(0, 12)}…`],
    ...(order.paidAt ? [[order.paidAt, "order marked paid"] as [Date, string]] : []),
    ...order.attempts.flatMap((a) =>
      a.events.map((e) => [e.createdAt, `attempt ${a.key.slice(0, 8)}…: ${e.kind}${e.detail ? ` (${e.detail})` : ""}`] as [Date, string]),
    ),
    ...intents.map(
      (pi) =>
        [new Date(pi.created * 1000), `provider: ${pi.id} ${pi.status}, charges ${pi.charges.map((c) => `${c.id} ${c.status}`).join(", ") || "none"}`] as [
          Date,
          string,
        ],
    ),
    ...side.events
      .filter((e) => intents.some((pi) => pi.id === e.objectId))
      .flatMap((e) =>
        e.deliveries.flatMap((d) =>
          d.attempts.map((t) => [new Date(t.at), `webhook ${e.type} → ${t.status ?? "no answer"} ${t.body?.slice(0, 60) ?? ""}`] as [Date, string]),
        ),
      ),
    ...(job
      ? [
          [job.createdAt, `job ${job.kind}: ${job.state}, ${job.attempts} run(s)`] as [Date, string],
          ...job.steps.map((s) => [s.finishedAt, `job step done: ${s.name}`] as [Date, string]),
        ]
      : []),
    ...order.refunds.map((r) => [r.createdAt, `refund ${r.amountCents}: ${r.status}`] as [Date, string]),
  ];
  lines.push([new Date(), `now: ${order.status}, refunded ${order.refundedCents}`]);
  return lines.sort((a, b) => a[0].getTime() - b[0].getTime()).map(([at, text]) => `${at.toISOString().slice(11, 23)}  ${text}`);
}

export async function report(
  campaign: Campaign,
  figures: { exchanges: Exchanges; faults: Faults; checks: Check[]; during: { checks: number; violations: Violation[] }; seconds: number },
  stripeBase: string,
  account: string,
  logDir: string,
): Promise<{ markdown: string; violations: Violation[] }> {
  const { exchanges, faults, checks, during } = figures;
  const orders = await db.order.groupBy({ by: ["status"], _count: { _all: true } });
  const refunds = await db.refund.groupBy({ by: ["status"], _count: { _all: true } });
  const sideCharges = (await (await fetch(`${stripeBase}/_control/ledger?account=${encodeURIComponent(account)}`)).json()) as {
    counters: { charges: number } | null;
  };
  const violations = [...during.violations, ...checks.flatMap((c) => c.violations)];

  const parts = [
    `# Chaos campaign, seed ${campaign.seed}`,
    `${campaign.db}, ${campaign.instances} app instance(s) and a worker, ${campaign.customers} customers at a time, ${campaign.minutes} min of faults` +
      ` (${Math.round(figures.seconds)} s in all, settling included), protections ${campaign.unprotected ? "**off**" : "on"}.`,
    "## What was done",
    table(
      ["", "count"],
      [
        ["requests", exchanges.list.length],
        ["… final answers", exchanges.count("final")],
        ["… retryable answers (503/502 problem, 409 running, connection cut)", exchanges.count("retryable")],
        [
          "… broken answers (empty 500, no problem, no answer)",
          exchanges.list.filter((e) => e.verdict === "broken" && !isPageDuringOutage(e, (from, to) => faults.databaseDownDuring(from, to))).length,
        ],
        [
          "… pages answered 500 while the database was cut off (see docs/chaos.md)",
          exchanges.list.filter((e) => isPageDuringOutage(e, (from, to) => faults.databaseDownDuring(from, to))).length,
        ],
        ...FAULT_KINDS.map((k) => [`fault: ${k}`, faults.count(k)]),
        ...orders.map((o) => [`orders ${o.status}`, o._count._all]),
        ["charges at the provider", sideCharges.counters?.charges ?? 0],
        ...refunds.map((r) => [`refunds ${r.status}`, r._count._all]),
      ],
    ),
    "## Invariants",
    table(
      ["invariant", "checks", "passed", "failed"],
      [
        [
          "while faults flew: one charge per order, stock ≥ 0, refunds never decrease",
          during.checks,
          during.violations.length ? "–" : during.checks,
          during.violations.length,
        ],
        ...checks.map((c) => [c.invariant, c.checked, Math.max(0, c.checked - c.violations.length), c.violations.length]),
      ],
    ),
  ];
  if (violations.length > 0) {
    parts.push(`## ${violations.length} violation(s)`, `Replay this seed: \`${replayCommand(campaign)}\``);
    const shown = new Set<string>();
    for (const v of violations.slice(0, 20)) {
      parts.push(`### ${v.invariant}\n${v.detail}${v.orderId ? ` (order ${v.orderId})` : ""}${v.session ? ` (session ${v.session.slice(0, 12)}…)` : ""}`);
      if (v.requests) {
        const lines = serverLines(logDir, v.requests);
        parts.push(
          lines.length > 0
            ? `The server's log lines for ${v.requests.join(", ")}:\n\n\`\`\`\n${lines.join("\n")}\n\`\`\``
            : `No server log line names ${v.requests.join(", ")} (the app logs its unexpected errors with the request's X-Request-Id).`,
        );
      }
      const orderIds = v.orderId
        ? [v.orderId]
        : v.session
          ? (await db.order.findMany({ where: { sessionId: v.session }, select: { id: true } })).map((o) => o.id)
          : [];
      for (const id of orderIds.filter((id) => !shown.has(id)).slice(0, 3)) {
        shown.add(id);
        parts.push(`Timeline of order ${id}:\n\n\`\`\`\n${(await timeline(id, stripeBase, account)).join("\n")}\n\`\`\``);
      }
    }
    if (violations.length > 20) parts.push(`… and ${violations.length - 20} more.`);
  } else {
    parts.push(`No violation. Replay: \`${replayCommand(campaign)}\``);
  }
  parts.push(`Logs of every process, this report and every request: \`${logDir}\``);
  const markdown = parts.join("\n\n") + "\n";
  writeFileSync(path.join(logDir, "report.md"), markdown);
  writeFileSync(path.join(logDir, "requests.jsonl"), exchanges.list.map((e) => JSON.stringify(e)).join("\n") + "\n");
  return { markdown, violations };
}
