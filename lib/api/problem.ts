// RFC 9457 problem details: every API error is application/problem+json. The
// kit's route wrappers answer its own problems; these are the shop's, beside them.
import { IDEMPOTENCY_PROBLEMS, problemResponse } from "@payonce/kit/next";

const PROBLEM_TYPES = {
  ...IDEMPOTENCY_PROBLEMS,
  "payment-unavailable": "The payment service did not answer",
  "card-declined": "The card was declined",
  "out-of-stock": "An item is out of stock",
  "too-many-requests": "Too many requests from this client",
  "hold-limit": "Too many items held in unpaid orders",
  "not-found": "Not found",
  "method-not-allowed": "Method not allowed",
} as const;

export type ProblemType = keyof typeof PROBLEM_TYPES;

export function problem(status: number, type: ProblemType, detail?: string, extra: Record<string, unknown> = {}, headers: HeadersInit = {}) {
  return problemResponse(status, type, PROBLEM_TYPES[type], detail, extra, headers);
}
