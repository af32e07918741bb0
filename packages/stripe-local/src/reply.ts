// What a handler (api.ts, control.ts) answers, before start.ts writes it: a
// status, a JSON body and headers, or, as a fault, no answer at all. Each
// request's log line is filled in on the way.
import { StripeError } from "./errors.ts";

/** `drop`: close the connection instead of answering. */
export type Reply = { status: number; body: unknown; headers?: Record<string, string>; drop?: boolean };

export type LogLine = { requestId: string; key?: string; replayed?: boolean };

export const errorReply = (e: StripeError): Reply => ({ status: e.status, body: { error: e.body } });

/** A 500; one that is stored will be replayed under its key, so a retry with that key cannot help. */
export function internalError(log: LogLine, { stored = false } = {}): Reply {
  return {
    ...errorReply(new StripeError(500, { type: "api_error", message: `An unknown error occurred (request ${log.requestId}).` })),
    headers: { "Stripe-Should-Retry": stored ? "false" : "true" },
  };
}
