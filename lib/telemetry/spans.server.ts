// The shop's own spans, beside the kit's (idempotency.*): Stripe calls,
// webhook deliveries, job steps, and, on the span where it happened, which of
// the layers (lib/demo/protections.ts) caught a duplicate, as one attribute a
// person filters on in their tracing tool: payonce.duplicate.caught_by =
// idempotencyKey (on the request's span) | stripeKey (the Stripe call's) |
// webhookDedupe (the delivery's) | jobSteps (the step's).
// Through @opentelemetry/api only: with tracing off (lib/telemetry/tracing.server.ts)
// every call here is a no-op.
import "server-only";
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Span } from "@opentelemetry/api";
import { parseTraceParent } from "@payonce/kit";

/**
 * The layers a span can name, by the ids lib/demo/protections.ts gives them (tests/tracing.test.ts
 * checks). Not the UI guard, whose catches never reach the server, nor business uniqueness: an
 * order joined by its cart is a second tab as often as a new card after a decline.
 */
export const CATCHING_LAYERS = ["idempotencyKey", "stripeKey", "jobSteps", "webhookDedupe"] as const;
export type CatchingLayer = (typeof CATCHING_LAYERS)[number];

export const SHOP_ATTRIBUTES = {
  /** The layer that stopped a duplicate here (a LayerId). */
  caughtBy: "payonce.duplicate.caught_by",
  orderId: "payonce.order_id",
  /** What became of a webhook delivery: verified, then applied | duplicate | contradicted | failed; or rejected. */
  webhookResult: "payonce.webhook.result",
  jobKind: "payonce.job.kind",
  /** What became of a job's run: done | lost | retry | dead. */
  jobResult: "payonce.job.result",
  /** What became of a job step: done | skipped (recorded as done by an earlier run) | failed. */
  stepResult: "payonce.job.step_result",
  /** The derived Stripe idempotency key, hashed (never the key), and its generation (decision 0004). */
  stripeKeyHash: "stripe.idempotency_key_hash",
  stripeKeyGeneration: "stripe.idempotency_key_generation",
  /** Stripe's own Idempotent-Replayed: it answered from a stored response, doing nothing again. */
  stripeReplayed: "stripe.idempotent_replayed",
  stripeRequestId: "stripe.request_id",
} as const;

const tracer = () => trace.getTracer("payonce");

/** `work` inside a span of its own (active, so spans it starts are its children); an error marks it and goes on. */
export function inSpan<T>(
  name: string,
  attributes: Attributes,
  work: (span: Span) => Promise<T>,
  options: { kind?: SpanKind; parent?: string | null } = {},
): Promise<T> {
  // A stored trace context (a job row's) makes the span part of the trace that queued the work.
  const remote = options.parent === undefined ? null : parseTraceParent(options.parent);
  const run = async (span: Span) => {
    try {
      return await work(span);
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  };
  const spanOptions = { kind: options.kind ?? SpanKind.INTERNAL, attributes };
  return remote
    ? tracer().startActiveSpan(name, spanOptions, trace.setSpanContext(ROOT_CONTEXT, remote), run)
    : tracer().startActiveSpan(name, spanOptions, run);
}

/** Marks the active span: `layer` caught a duplicate here. */
export function caughtBy(layer: CatchingLayer, span: Span | undefined = trace.getActiveSpan()) {
  span?.setAttribute(SHOP_ATTRIBUTES.caughtBy, layer);
}
