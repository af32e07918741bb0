// npm run traces: a trace viewer in the terminal, for a machine without one.
// It takes OTLP/HTTP in JSON on port 4318 (TRACES_PORT), as Jaeger or an
// OpenTelemetry Collector would, and prints each trace as a tree
// (scripts/traces/tree.ts) once no span has come for it for six seconds:
//   npm run traces
//   OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318 OTEL_EXPORTER_OTLP_PROTOCOL=http/json npm run dev
// A real tracing tool shows the same spans with more to click; this one
// shows the story of a double click without installing anything.
import { createServer } from "node:http";
import { drawTrace, spansOf, type OtlpTraces, type Span } from "./traces/tree";

const port = Number(process.env.TRACES_PORT ?? 4318);
// The SDK sends its batch every 5 s (OTEL_BSP_SCHEDULE_DELAY), each process on its own timer: a
// trace whose spans come from the app and the worker is whole once 5 s have passed without one.
const QUIET_MS = 6_000;
const traces = new Map<string, { spans: Span[]; timer: NodeJS.Timeout }>();

function received(spans: Span[]) {
  for (const span of spans) {
    const trace = traces.get(span.traceId) ?? { spans: [], timer: setTimeout(() => {}, 0) };
    clearTimeout(trace.timer);
    trace.spans.push(span);
    trace.timer = setTimeout(() => {
      traces.delete(span.traceId);
      console.log(`${drawTrace(trace.spans)}\n`);
    }, QUIET_MS);
    traces.set(span.traceId, trace);
  }
}

const server = createServer((req, res) => {
  const answer = (status: number, body: object) => res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
  if (req.method !== "POST" || req.url !== "/v1/traces") return answer(404, { message: "POST /v1/traces only" });
  if (!req.headers["content-type"]?.startsWith("application/json")) {
    return answer(415, { message: "JSON only: set OTEL_EXPORTER_OTLP_PROTOCOL=http/json in the app's environment" });
  }
  let body = "";
  req.setEncoding("utf8");
  req.on("data", (chunk: string) => (body += chunk));
  req.on("end", () => {
    try {
      received(spansOf(JSON.parse(body) as OtlpTraces));
      answer(200, {});
    } catch (error) {
      answer(400, { message: `not OTLP/JSON: ${error instanceof Error ? error.message : String(error)}` });
    }
  });
});

server.listen(port, "127.0.0.1", () => {
  console.log(`traces: OTLP/HTTP (JSON) on http://localhost:${port}/v1/traces; each trace is printed ${QUIET_MS / 1000} s after its last span.`);
  console.log(`Start the shop with: OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:${port} OTEL_EXPORTER_OTLP_PROTOCOL=http/json npm run dev\n`);
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.close(() => process.exit(0)));
