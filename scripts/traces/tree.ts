// One trace as an indented tree, from OTLP/JSON (what an OTLP/HTTP exporter
// posts with OTEL_EXPORTER_OTLP_PROTOCOL=http/json): a span a line, its
// children below it, each with its duration and the attributes that tell a
// duplicate's story (idempotency.*, payonce.*, stripe.*, the HTTP status) and
// the traces it links to. What `npm run traces` prints; no viewer needed.

type AnyValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number };
type KeyValue = { key: string; value: AnyValue };
type OtlpSpan = {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  startTimeUnixNano: string | number;
  endTimeUnixNano: string | number;
  attributes?: KeyValue[];
  links?: { traceId: string; spanId: string }[];
  status?: { code?: number; message?: string };
};
/** The body of POST /v1/traces in OTLP/JSON. */
export type OtlpTraces = { resourceSpans?: { resource?: { attributes?: KeyValue[] }; scopeSpans?: { spans?: OtlpSpan[] }[] }[] };

export type Span = {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  service: string;
  startNs: bigint;
  endNs: bigint;
  attributes: Record<string, string | number | boolean>;
  links: string[];
  error: string | null;
};

const valueOf = (v: AnyValue): string | number | boolean =>
  v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : (v.boolValue ?? v.doubleValue ?? ""));
const attributesOf = (list: KeyValue[] = []) => Object.fromEntries(list.map((a) => [a.key, valueOf(a.value)]));

/** The spans of one export request, flat. */
export function spansOf(body: OtlpTraces): Span[] {
  return (body.resourceSpans ?? []).flatMap((resource) => {
    const service = String(attributesOf(resource.resource?.attributes)["service.name"] ?? "?");
    return (resource.scopeSpans ?? []).flatMap((scope) =>
      (scope.spans ?? []).map((s) => ({
        traceId: s.traceId,
        spanId: s.spanId,
        parentSpanId: s.parentSpanId || null,
        name: s.name,
        service,
        startNs: BigInt(s.startTimeUnixNano),
        endNs: BigInt(s.endTimeUnixNano),
        attributes: attributesOf(s.attributes),
        links: (s.links ?? []).map((l) => l.traceId),
        error: s.status?.code === 2 ? (s.status.message ?? "error") : null,
      })),
    );
  });
}

/** The attributes worth a line: the story's, with their prefixes dropped where they are clear. */
const SHOWN: [string, string][] = [
  ["idempotency.outcome", "outcome"],
  ["idempotency.recovery_point", "from"],
  ["idempotency.recovery_point.reached", "reached"],
  ["idempotency.key_hash", "key#"],
  ["payonce.duplicate.caught_by", "CAUGHT BY"],
  ["payonce.webhook.result", "result"],
  ["payonce.job.step_result", "step"],
  ["stripe.idempotency_key_generation", "key generation"],
  ["stripe.idempotent_replayed", "Stripe replayed"],
  ["http.response.status_code", "status"],
];

function line(span: Span): string {
  const ms = Number(span.endNs - span.startNs) / 1e6;
  const shown = SHOWN.flatMap(([key, label]) => (span.attributes[key] === undefined ? [] : [`${label}=${span.attributes[key]}`]));
  const links = span.links.map((t) => `↪ trace ${t.slice(0, 8)}`);
  const error = span.error ? [`ERROR ${span.error}`] : [];
  return [`${span.name} (${ms.toFixed(1)} ms)`, ...shown, ...links, ...error].join("  ");
}

/** One trace's spans as a tree, roots first by start time; a span whose parent is in another process's export still shows, as a root. */
export function drawTrace(spans: Span[]): string {
  const ids = new Set(spans.map((s) => s.spanId));
  const byStart = [...spans].sort((a, b) => (a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : 0));
  const children = (id: string | null) => byStart.filter((s) => (id === null ? !s.parentSpanId || !ids.has(s.parentSpanId) : s.parentSpanId === id));
  const services = [...new Set(spans.map((s) => s.service))].join(", ");
  const lines = [`trace ${spans[0]?.traceId.slice(0, 8) ?? "?"} (${services})`];
  const walk = (span: Span, depth: number) => {
    lines.push(`${"  ".repeat(depth + 1)}${line(span)}`);
    for (const child of children(span.spanId)) walk(child, depth + 1);
  };
  for (const root of children(null)) walk(root, 0);
  return lines.join("\n");
}
