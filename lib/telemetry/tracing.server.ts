// Tracing, off unless asked for: with OTEL_EXPORTER_OTLP_ENDPOINT (or
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) set, the OpenTelemetry Node SDK sends
// every span over OTLP/HTTP: Next.js's own (each request), the kit's
// (idempotency.*), the shop's (Stripe calls, webhooks, job steps). The SDK
// reads the standard variables itself (OTEL_SERVICE_NAME, OTEL_TRACES_SAMPLER,
// OTEL_EXPORTER_OTLP_HEADERS…); OTEL_SDK_DISABLED=true turns it off again.
// Prisma takes part with one span per transaction.
// Without it nothing is loaded, and every span call is a no-op.
import "server-only";

/** Whether this process should export traces (the standard variables decide). */
export function tracingWanted(vars: Record<string, string | undefined> = process.env): boolean {
  if (vars.OTEL_SDK_DISABLED?.trim().toLowerCase() === "true") return false;
  return Boolean(vars.OTEL_EXPORTER_OTLP_ENDPOINT || vars.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/** Where the spans go, for the log: the endpoint's origin, never a user or password in its URL. */
const where = (endpoint: string) => URL.parse(endpoint)?.origin ?? "an endpoint that is not a URL";

/**
 * Starts the SDK for this process (the web app, the worker), if tracing is wanted. Its shutdown
 * flushes what is left: the worker calls it as it stops; Next.js ends the web process itself, so
 * the web app's last batch (up to OTEL_BSP_SCHEDULE_DELAY, 5 s, of spans) can be lost then.
 */
export async function startTracing(serviceName: string): Promise<{ shutdown(): Promise<void> } | null> {
  if (!tracingWanted()) return null;
  const { NodeSDK } = await import("@opentelemetry/sdk-node");
  const { PrismaInstrumentation } = await import("@prisma/instrumentation");
  // Traces only: spans go where OTEL_TRACES_EXPORTER (default otlp) and OTEL_EXPORTER_OTLP_* say;
  // no metric reader and no log processor, which the SDK would otherwise start from the same variables.
  const sdk = new NodeSDK({
    ...(process.env.OTEL_SERVICE_NAME ? {} : { serviceName }),
    metricReaders: [],
    logRecordProcessors: [],
    // Prisma's own spans, but only one per transaction (an atomic phase's commit, and the Stripe
    // call plainly outside it): a span per query, serialization and compile would drown the story.
    instrumentations: [new PrismaInstrumentation({ ignoreSpanTypes: [/^prisma:(?!client:transaction$)/] })],
  });
  sdk.start();
  console.log(`${serviceName}: tracing to ${where(process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? process.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? "")}`);
  return sdk;
}
