// The trace context (W3C traceparent) of the API request being handled, if
// its client sent one: the webhooks the request causes carry it on, so that
// a traced app sees the delivery in the same trace as the call that caused
// it. Real Stripe does not do this; it costs nothing to an app that ignores
// the header, and it is how one payment reads as one trace in a local run.
import { AsyncLocalStorage } from "node:async_hooks";

const TRACE_PARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;
const current = new AsyncLocalStorage<string | undefined>();

/** Runs `work` with the request's traceparent header (if it is one) as the current trace context. */
export function withTraceParent<T>(header: string | string[] | undefined, work: () => T): T {
  return current.run(typeof header === "string" && TRACE_PARENT.test(header) ? header : undefined, work);
}

/** The current request's traceparent, if any. */
export const currentTraceParent = (): string | undefined => current.getStore();
