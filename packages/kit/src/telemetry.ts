// What an idempotent run tells a tracing tool (Jaeger, Tempo, Honeycomb…),
// through @opentelemetry/api alone: with no SDK registered every call here is
// a no-op. One span per request with a key, saying what became of it (the
// outcome) and where it started (the recovery point); one child span per
// phase, saying where it got to; the attempt's own steps (the events its
// Timeline gets, the ledger's source) as the span's events, so the trace and
// the app's own timeline are told by the same events. The key is never
// exported, only a hash of it. The names are a small convention of ours
// (there is no semantic convention for idempotency): README "Tracing".
import { createHash } from "node:crypto";
import { isSpanContextValid, SpanKind, SpanStatusCode, trace, type Attributes, type Span, type SpanContext } from "@opentelemetry/api";
import type { AttemptEvent } from "./run.ts";

/** The tracer's name: what a viewer's "library" or "scope" column shows. */
export const TRACER_NAME = "@payonce/kit";

/** The attributes the kit sets, by name: stable, documented in the README. */
export const ATTRIBUTES = {
  /** The operation's name (checkout, refund…). */
  operation: "idempotency.operation",
  /** What became of this request: one of OUTCOMES. */
  outcome: "idempotency.outcome",
  /** The recovery point a request or a phase started from. */
  recoveryPoint: "idempotency.recovery_point",
  /** The recovery point a phase reached ("finished" for the last). */
  reached: "idempotency.recovery_point.reached",
  /** The first 16 hex digits of SHA-256 over scope, NUL, key: equal for equal keys, and no key in the export. */
  keyHash: "idempotency.key_hash",
  /** The attempt's record id: every request with one key, across traces. */
  attemptId: "idempotency.attempt_id",
  /** The lease's owner (a random id per claim): which request held the attempt. */
  leaseOwner: "idempotency.lease_owner",
} as const;

/**
 * new: this request made the attempt and ran it; replayed: the stored outcome
 * was returned; in_progress: another request holds the attempt; mismatch: the
 * key was sent with another request; resumed: an abandoned attempt was taken
 * over at its recovery point; retryable: a foreign call failed, the attempt is
 * released for a retry.
 */
export const OUTCOMES = ["new", "replayed", "in_progress", "mismatch", "resumed", "retryable"] as const;
export type RunOutcome = (typeof OUTCOMES)[number];

const tracer = () => trace.getTracer(TRACER_NAME);

export function keyHash(scope: string, key: string): string {
  return createHash("sha256").update(`${scope}\0${key}`).digest("hex").slice(0, 16);
}

/**
 * What a span holds of a text that may quote the request's key (an error's message, a step's
 * detail): the key replaced by its hash, so that it never leaves in an export.
 */
export type Scrub = (text: string) => string;

/** The scrub for (scope, key): none is needed without a key. */
export function scrubbing(scope: string, key: string | null): Scrub {
  if (key === null || key === "") return (text) => text;
  const hidden = `[key ${keyHash(scope, key)}]`;
  return (text) => text.split(key).join(hidden);
}

/** The span of one request, active while `work` runs (its phases' spans are its children). */
export function inRunSpan<T>(operation: string | undefined, scope: string, key: string | null, scrub: Scrub, work: (span: Span) => Promise<T>): Promise<T> {
  const attributes: Attributes = operation ? { [ATTRIBUTES.operation]: operation } : {};
  return inSpan(`idempotency ${operation ?? "run"}`, attributes, scrub, async (span) => {
    // Hashed only when someone looks: with no SDK, a request costs no SHA-256.
    if (key !== null && span.isRecording()) span.setAttribute(ATTRIBUTES.keyHash, keyHash(scope, key));
    return work(span);
  });
}

/** One phase's span, active while it runs: a foreign call made in it (Stripe) is its child. */
export function inPhaseSpan<T>(point: string, scrub: Scrub, work: (span: Span) => Promise<T>): Promise<T> {
  return inSpan(`idempotency.phase ${point}`, { [ATTRIBUTES.recoveryPoint]: point }, scrub, work);
}

/** `work` in an active span that ends with it; an error is the span's status and exception (scrubbed), and goes on. */
function inSpan<T>(name: string, attributes: Attributes, scrub: Scrub, work: (span: Span) => Promise<T>): Promise<T> {
  return tracer().startActiveSpan(name, { kind: SpanKind.INTERNAL, attributes }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      const { name: type, message, stack } = error instanceof Error ? error : { name: "Error", message: String(error), stack: undefined };
      span.recordException({ name: type, message: scrub(message), ...(stack !== undefined && { stack: scrub(stack) }) });
      span.setStatus({ code: SpanStatusCode.ERROR, message: scrub(message) });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** The steps of the attempt as the request span's events (the same events its Timeline gets), their details scrubbed. */
export function told(span: Span, events: AttemptEvent[], scrub: Scrub) {
  for (const event of events) span.addEvent(`idempotency.${event.kind}`, event.detail === undefined ? {} : { "idempotency.detail": scrub(event.detail) });
}

/** The active span's trace context as a W3C traceparent, to be stored with the attempt (null: no span is recording). */
export function currentTraceParent(): string | null {
  const span = trace.getActiveSpan();
  if (!span?.isRecording()) return null;
  const { traceId, spanId, traceFlags } = span.spanContext();
  return `00-${traceId}-${spanId}-${traceFlags.toString(16).padStart(2, "0")}`;
}

/** A stored traceparent read back (null: none, or not one). */
export function parseTraceParent(traceParent: string | null | undefined): SpanContext | null {
  const match = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/.exec(traceParent ?? "");
  if (!match) return null;
  const context: SpanContext = { traceId: match[1]!, spanId: match[2]!, traceFlags: parseInt(match[3]!, 16), isRemote: true };
  return isSpanContextValid(context) ? context : null;
}

/** Links `span` to the span that made the attempt (a replay, a resume, a wait on it): one key's requests, found from any of them. */
export function linkToAttempt(span: Span, traceParent: string | null) {
  const context = parseTraceParent(traceParent);
  if (context) span.addLink({ context, attributes: { "idempotency.link": "attempt" } });
}
