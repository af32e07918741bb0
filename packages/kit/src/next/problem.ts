// RFC 9457 problem details: every error the route wrappers answer is
// application/problem+json, its type a path under /problems/.
export type Problem = {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: { pointer: string; detail: string }[];
  [extension: string]: unknown;
};

/** The titles of the problems the kit's route wrappers answer with (an app adds its own to them). */
export const IDEMPOTENCY_PROBLEMS = {
  "invalid-body": "The request body is invalid",
  "body-too-large": "The request body is too large",
  "idempotency-key-missing": "An Idempotency-Key header is required",
  "idempotency-key-malformed": "The Idempotency-Key header is malformed",
  "idempotency-key-reused": "This Idempotency-Key was used with a different request",
  "request-in-progress": "A request with this Idempotency-Key is still being processed",
  unauthorized: "Authentication is required",
  "service-unavailable": "The service is temporarily unavailable",
  "internal-error": "Internal error",
} as const;

/** A problem+json response; `type` is its short name (`/problems/<type>`), `title` what it is. */
export function problemResponse(status: number, type: string, title: string, detail?: string, extra: Record<string, unknown> = {}, headers: HeadersInit = {}) {
  const body: Problem = { type: `/problems/${type}`, title, status, ...(detail && { detail }), ...extra };
  return Response.json(body, { status, headers: { ...headers, "Content-Type": "application/problem+json" } });
}

/** One of the kit's own problems. */
export const kitProblem = (status: number, type: keyof typeof IDEMPOTENCY_PROBLEMS, detail?: string, extra?: Record<string, unknown>, headers?: HeadersInit) =>
  problemResponse(status, type, IDEMPOTENCY_PROBLEMS[type], detail, extra, headers);
