// The Node.js half of instrumentation.ts: Next.js itself would log a failed
// start-up and serve on, so a wrong setting ends the process here; every
// request from now on goes through lib/http/server-edge.server.ts first; and a
// client hanging up mid-request is one line instead of an uncaught exception
// (lib/http/client-hang-ups.server.ts); and with OTEL_EXPORTER_OTLP_ENDPOINT
// set, traces are exported (lib/telemetry/tracing.server.ts).
import { logClientHangUpsOnce } from "./lib/http/client-hang-ups.server";
import { startTracing } from "./lib/telemetry/tracing.server";
import { env } from "./lib/env.server";
import { installServerEdge } from "./lib/http/server-edge.server";

installServerEdge();
try {
  env();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
logClientHangUpsOnce();
await startTracing("payonce-web");
