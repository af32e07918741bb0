-- Tracing (OpenTelemetry): an attempt keeps the trace context (W3C
-- traceparent) of the request that made it, so that every later request with
-- its key links to that trace. A job keeps the one of the checkout that queued
-- it, so that its steps are part of the same trace. Both nullable: rows made
-- with tracing off, and every row before this, have none.
ALTER TABLE "Attempt" ADD COLUMN "traceParent" TEXT;
ALTER TABLE "Job" ADD COLUMN "traceParent" TEXT;
