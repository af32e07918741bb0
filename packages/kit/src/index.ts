// @payonce/kit: any operation run exactly once per idempotency key, as atomic
// phases with recovery points, on a store of the app's choosing. Server code
// (it uses node:crypto); the form's half is @payonce/kit/react.
export { canonicalJson } from "./canonical-json.ts";
export { claim, FINISHED, LeaseLostError, reapExpired, STARTED, type Claim, type ClaimInput, type ReapOptions } from "./claim.ts";
export { DEFAULT_LEASE_MS, DEFAULT_TTL_MS, type IdempotencyConfig } from "./config.ts";
export { requestFingerprint } from "./fingerprint.ts";
export type { FormReply } from "./form-reply.ts";
export { memoryStore, MemoryUniqueViolation, type MemoryTx } from "./memory-store.ts";
export { RefusedInput } from "./refused-input.ts";
export {
  atomicPhase,
  runIdempotent,
  SimulatedCrash,
  uniquePhase,
  withdrawAttempt,
  type AttemptEvent,
  type IdempotentOperation,
  type IdempotentResult,
  type Lease,
  type OutcomeSchema,
  type Phase,
  type PhaseResult,
  type StoredMove,
  type Timeline,
} from "./run.ts";
export type { AttemptRecord, AttemptStore, Move } from "./store.ts";
export { ATTRIBUTES as IDEMPOTENCY_ATTRIBUTES, currentTraceParent, keyHash, OUTCOMES, parseTraceParent, TRACER_NAME, type RunOutcome } from "./telemetry.ts";
