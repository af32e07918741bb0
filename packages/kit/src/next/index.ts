// @payonce/kit/next: the server edges of an idempotent operation in Next.js
// (App Router): a server action's wrapper and a route handler's.
export { formActions, FORM_MESSAGES, type ActionAnswer, type ActionCall, type FormActionOptions, type Say } from "./action.ts";
export type { FormReply } from "../form-reply.ts";
export { readBoundedBody } from "./bounded-body.ts";
export { IDEMPOTENCY_KEY_PATTERN, parseIdempotencyKey } from "./idempotency-key.ts";
export { IDEMPOTENCY_PROBLEMS, problemResponse, type Problem } from "./problem.ts";
export {
  idempotentResponse,
  idempotentRoutes,
  inProgressResponse,
  keyReusedResponse,
  replayHeaders,
  tooLarge,
  type IdempotentCall,
  type RouteOptions,
} from "./route.ts";
