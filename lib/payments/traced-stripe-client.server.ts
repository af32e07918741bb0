// Every request the Stripe SDK sends, as a client span (OpenTelemetry): which
// call (its path with the ids taken out, so a viewer groups them), the derived
// idempotency key as a hash and its generation, Stripe's answer, and whether
// Stripe replayed it (Idempotent-Replayed: our key caught a repeat). The trace
// context goes with the request (traceparent), so the local Stripe server
// hands it on to the webhooks the request causes. A wrapper around the SDK's
// own HTTP client, its documented extension point (`httpClient`): each network
// try, the SDK's own retries included, is a span.
import "server-only";
import { context, propagation, SpanKind, SpanStatusCode, type Span } from "@opentelemetry/api";
import Stripe from "stripe";
import { caughtBy, inSpan, SHOP_ATTRIBUTES } from "../telemetry/spans.server";
import { keyHash } from "@payonce/kit";

/**
 * /v1/payment_intents/pi_3Nx…/confirm → /v1/payment_intents/{id}/confirm: an id is a prefix, an
 * underscore (cs_test_ too) and a part with a digit or a capital, which no resource name has
 * (/v1/setup_intents, /v1/tax_rates, /v1/test_helpers stay as they are).
 */
export const route = (path: string) => path.split("?")[0]!.replace(/\/[a-z]{2,6}_(?:test_|live_)?(?=[A-Za-z0-9]*[A-Z0-9])[A-Za-z0-9]+(?=\/|$)/g, "/{id}");

/** A derived key's generation (decision 0004): `-gN` at its end, else 0. */
const generationOf = (key: string) => Number(/-g(\d+)$/.exec(key)?.[1] ?? 0);

export function tracedHttpClient(inner: Stripe.HttpClient = Stripe.createNodeHttpClient()): Stripe.HttpClient {
  const client = Object.create(inner) as Stripe.HttpClient;
  client.makeRequest = (host, port, path, method, headers, requestData, protocol, timeout) => {
    const attributes = { "http.request.method": method, "server.address": host, "url.path": route(path) };
    return inSpan(
      `stripe ${method} ${route(path)}`,
      attributes,
      async (span: Span) => {
        const key = headers["Idempotency-Key"];
        if (typeof key === "string") {
          span.setAttribute(SHOP_ATTRIBUTES.stripeKeyHash, keyHash("stripe", key));
          span.setAttribute(SHOP_ATTRIBUTES.stripeKeyGeneration, generationOf(key));
        }
        const carried: Record<string, string> = {};
        propagation.inject(context.active(), carried);
        const response = await inner.makeRequest(host, port, path, method, { ...headers, ...carried }, requestData, protocol, timeout);
        const answer = response.getHeaders();
        const status = response.getStatusCode();
        span.setAttribute("http.response.status_code", status);
        // OpenTelemetry's HTTP convention: a client span whose answer is 4xx or 5xx is an error (a decline's 402 too).
        if (status >= 400) span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${status}` });
        if (typeof answer["request-id"] === "string") span.setAttribute(SHOP_ATTRIBUTES.stripeRequestId, answer["request-id"]);
        const replayed = answer["idempotent-replayed"] === "true";
        span.setAttribute(SHOP_ATTRIBUTES.stripeReplayed, replayed);
        if (replayed) caughtBy("stripeKey", span);
        return response;
      },
      { kind: SpanKind.CLIENT },
    );
  };
  return client;
}
