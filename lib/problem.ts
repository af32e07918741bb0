// RFC 9457 problem details: every API error is application/problem+json.
export type Problem = {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: { pointer: string; detail: string }[];
  [extension: string]: unknown;
};

const PROBLEM_TYPES = {
  "invalid-body": "The request body is invalid",
  "body-too-large": "The request body is too large",
  "idempotency-key-missing": "An Idempotency-Key header is required",
  "idempotency-key-malformed": "The Idempotency-Key header is malformed",
  "idempotency-key-reused": "This Idempotency-Key was used with a different request",
  "request-in-progress": "A request with this Idempotency-Key is still being processed",
  "payment-unavailable": "The payment service did not answer",
  "card-declined": "The card was declined",
  "out-of-stock": "An item is out of stock",
  "too-many-requests": "Too many requests from this client",
  "hold-limit": "Too many items held in unpaid orders",
  unauthorized: "A valid session token is required",
  "not-found": "Not found",
  "method-not-allowed": "Method not allowed",
  "service-unavailable": "The service is temporarily unavailable",
  "internal-error": "Internal error",
} as const;

export type ProblemType = keyof typeof PROBLEM_TYPES;

export function problem(status: number, type: ProblemType, detail?: string, extra: Record<string, unknown> = {}, headers: HeadersInit = {}) {
  const body: Problem = { type: `/problems/${type}`, title: PROBLEM_TYPES[type], status, ...(detail && { detail }), ...extra };
  return Response.json(body, { status, headers: { ...headers, "Content-Type": "application/problem+json" } });
}
