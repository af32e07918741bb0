// One checkout attempt as a sequence diagram, drawn from what was recorded of
// it, in time order: the attempt's timeline (browser, app, database, Stripe),
// the webhook deliveries about its PaymentIntent (as the local Stripe server
// logged them, with our endpoint's answer) and its fulfillment job's steps.
// Duplicates are drawn in green where they stopped: a replay or a "wait" never
// reaches the order or Stripe; a redelivered event is acknowledged with no effect.
import { JOINED_ORDER } from "@/lib/orders/checkout.server";
import type { WebhookDelivery } from "@/lib/demo/lab.server";

type Event = { id: number; kind: string; detail: string | null; createdAt: Date };
type Job = { attempts: number; lastError: string | null; steps: { name: string; finishedAt: Date }[] } | null;

const LANES = ["Browser", "App", "Database", "Stripe", "Webhooks", "Worker"] as const;
type Lane = (typeof LANES)[number];
type Arrow = { from: Lane; to: Lane; label: string; tone?: "caught" | "failed" };

const WIDTH = 760;
const ROW = 24;
const TOP = 28;
const x = (lane: Lane) => 50 + LANES.indexOf(lane) * ((WIDTH - 100) / (LANES.length - 1));

/** The arrows one recorded checkout step stands for. */
function checkoutArrows(event: Event): Arrow[] {
  const detail = event.detail ?? "";
  switch (event.kind) {
    case "received":
      return [{ from: "Browser", to: "App", label: "Pay (new key)" }];
    case "resumed":
      return [{ from: "Browser", to: "App", label: `Pay again: resume at ${detail}` }];
    case "replayed":
      return [
        { from: "Browser", to: "App", label: "Pay (same key)" },
        { from: "App", to: "Browser", label: `replay: ${detail}`, tone: "caught" },
      ];
    case "in_progress":
      return [
        { from: "Browser", to: "App", label: "Pay (same key)" },
        { from: "App", to: "Browser", label: "still running: wait", tone: "caught" },
      ];
    case "order_created":
      return detail === JOINED_ORDER
        ? [{ from: "App", to: "Database", label: "order exists: joined it", tone: "caught" }]
        : [{ from: "App", to: "Database", label: "order, stock (one transaction)" }];
    case "payment_created":
      return [
        { from: "App", to: "Stripe", label: "create + confirm the PaymentIntent" },
        { from: "Stripe", to: "App", label: detail },
        { from: "App", to: "Database", label: "record PaymentIntent" },
      ];
    case "unavailable":
      return [{ from: "App", to: "Stripe", label: "no answer: retry later", tone: "failed" }];
    case "finished":
      return [
        { from: "App", to: "Database", label: `settle: ${detail}` },
        { from: "App", to: "Browser", label: detail },
      ];
    default:
      return [{ from: "App", to: "App", label: `${event.kind} ${detail}` }];
  }
}

/** A delivery, and what our endpoint did with it (its answer says). */
function webhookArrows(delivery: WebhookDelivery): Arrow[] {
  const sent: Arrow = { from: "Stripe", to: "Webhooks", label: delivery.type };
  switch (delivery.result) {
    case "processed":
      return [sent, { from: "Webhooks", to: "Database", label: "applied" }];
    case "duplicate":
      return [sent, { from: "Webhooks", to: "Stripe", label: "200: seen before, no effect", tone: "caught" }];
    case "contradicted":
      return [sent, { from: "Webhooks", to: "Stripe", label: "200: Stripe's own data disagrees, not applied", tone: "failed" }];
    default:
      return [sent, { from: "Webhooks", to: "Stripe", label: `${delivery.status ?? "no answer"}: redelivered later`, tone: "failed" }];
  }
}

function jobArrows(job: NonNullable<Job>): { at: Date; arrows: Arrow[] }[] {
  const steps = job.steps.map((step) => ({ at: step.finishedAt, arrows: [{ from: "Worker", to: "Database", label: `step done: ${step.name}` } as Arrow] }));
  if (job.attempts > 1 && steps[0]) {
    steps[0].arrows.unshift({ from: "Worker", to: "Worker", label: `run ${job.attempts}×: recorded steps are skipped`, tone: "caught" });
  }
  return steps;
}

export function AttemptDiagram({ events, deliveries = [], job = null }: { events: Event[]; deliveries?: WebhookDelivery[]; job?: Job }) {
  const rows = [
    ...events.map((e) => ({ at: e.createdAt, arrows: checkoutArrows(e) })),
    ...deliveries.map((d) => ({ at: d.at, arrows: webhookArrows(d) })),
    ...(job ? jobArrows(job) : []),
  ]
    .sort((a, b) => a.at.getTime() - b.at.getTime())
    .flatMap((r) => r.arrows);
  const height = TOP + rows.length * ROW + 8;
  const color = (tone?: Arrow["tone"]) => (tone === "caught" ? "#1f7a4d" : tone === "failed" ? "#b42318" : "#46505e");
  return (
    <svg viewBox={`0 0 ${WIDTH} ${height}`} width={WIDTH} role="img" aria-label="The attempt as a sequence diagram" className="attempt-diagram">
      <defs>
        {["#46505e", "#1f7a4d", "#b42318"].map((c) => (
          <marker key={c} id={`head-${c.slice(1)}`} markerWidth="8" markerHeight="8" refX="7" refY="4" orient="auto">
            <path d="M0,0 L8,4 L0,8 z" fill={c} />
          </marker>
        ))}
      </defs>
      {LANES.map((lane) => (
        <g key={lane}>
          <text x={x(lane)} y={14} textAnchor="middle" fontSize="12" fontWeight="600">
            {lane}
          </text>
          <line x1={x(lane)} x2={x(lane)} y1={20} y2={height} stroke="#c9d1db" strokeDasharray="3 3" />
        </g>
      ))}
      {rows.map((arrow, i) => {
        const y = TOP + i * ROW + ROW / 2;
        const [x1, x2] = [x(arrow.from), x(arrow.to)];
        const c = color(arrow.tone);
        return (
          <g key={i}>
            <line x1={x1} x2={x2 === x1 ? x1 + 30 : x2} y1={y} y2={y} stroke={c} strokeWidth="1.5" markerEnd={`url(#head-${c.slice(1)})`} />
            <text x={x2 === x1 ? x1 + 36 : (x1 + x2) / 2} y={y - 4} textAnchor={x2 === x1 ? "start" : "middle"} fontSize="10.5" fill={c}>
              {arrow.label}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** What stopped this attempt's duplicates, from its timeline and its webhook deliveries. */
export function caughtBy(events: Event[], deliveries: WebhookDelivery[] = []): string {
  const count = (kind: string) => events.filter((e) => e.kind === kind).length;
  const redelivered = deliveries.filter((d) => d.result === "duplicate").length;
  const parts = [
    count("replayed") > 0 && `idempotency key: ${count("replayed")} replayed`,
    count("in_progress") > 0 && `idempotency key: ${count("in_progress")} told to wait`,
    events.some((e) => e.kind === "order_created" && e.detail === JOINED_ORDER) && "business uniqueness: joined the cart's order",
    count("resumed") > 0 && `recovery point: resumed ${count("resumed")}×`,
    redelivered > 0 && `webhook dedupe: ${redelivered} redelivered`,
  ].filter(Boolean);
  return parts.join("; ") || "–";
}
