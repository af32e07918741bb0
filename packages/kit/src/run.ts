// Any operation run exactly once per idempotency key, as atomic phases after
// brandur/rocket-rides-atomic. A phase is a function of the lease that says
// where to go next: another recovery point, or the operation's final outcome
// (its own typed value, not HTTP: each edge makes its answer from it).
//   - atomicPhase() runs a local phase's work and the attempt's move in one
//     transaction: both commit, or neither does;
//   - a foreign call (an API) is a phase of its own, outside any transaction,
//     and must be safe to repeat (send it with a key derived from the attempt);
//   - runIdempotent() claims the key, replays a finished attempt, waits for
//     or reports a running one, and resumes an abandoned one at its recovery
//     point: a finished phase never runs twice.
// Each request and each phase is a span (telemetry.ts: a no-op unless the app
// registers an OpenTelemetry SDK), and each step told to the timeline is told
// to the span too: the trace and the ledger come from the same events.
import { randomUUID } from "node:crypto";
import type { Span } from "@opentelemetry/api";
import { advance, claim, finish, FINISHED, LeaseLostError, release, STARTED, withdraw } from "./claim.ts";
import { settings, type IdempotencyConfig } from "./config.ts";
import type { Lease as StoredLease } from "./store.ts";
import { ATTRIBUTES, currentTraceParent, inPhaseSpan, inRunSpan, linkToAttempt, scrubbing, told, type RunOutcome, type Scrub } from "./telemetry.ts";

declare const TX: unique symbol;

/** A lease on one attempt, for phases whose transactions are `Tx` (the store's). */
export type Lease<Tx = unknown> = StoredLease & { readonly [TX]?: Tx };

/** Where a local phase's work goes: on at a recovery point, or finished. */
export type PhaseResult<Outcome> =
  /** Go on at this recovery point (`detail`: a word for the timeline). */
  | { next: string; detail?: string | undefined }
  /** Finished: every later request with the key gets this outcome. */
  | { finish: Outcome };

/** Marks a result whose move atomicPhase() stored: the runner takes no other. */
const STORED: unique symbol = Symbol("stored by atomicPhase()");

/** A phase's result as atomicPhase() or uniquePhase() gives it back: its move was stored with its work. */
export type StoredMove<Outcome> = PhaseResult<Outcome> & { readonly [STORED]: true };

/**
 * The outcome a local phase's work gives, inferred from what it returns:
 * never `undefined` (no outcome is), which a `{ next }` beside a `{ finish }`
 * adds to it (TypeScript reads `finish?: undefined` into the `{ next }`).
 */
type Settled<Outcome> = Exclude<Outcome, undefined>;

/** What an outcome literal is read as: its words kept (`"refunded"`, not string), its arrays mutable (as a schema's are). */
type Literal = null | undefined | boolean | number | string | Literal[] | { [key: string]: Literal } | object;

/** A phase: whatever it does, it ends with atomicPhase() or uniquePhase(), which store where it goes. */
export type Phase<Outcome, Tx> = (lease: Lease<Tx>) => Promise<StoredMove<Outcome>>;

/** What reads a stored outcome back (a zod schema does). */
export type OutcomeSchema<Outcome> = { parse(value: unknown): Outcome };

export type IdempotentOperation<Outcome, Tx> = IdempotencyConfig<Tx> & {
  /** The operation's name (checkout, refund…): its spans are "idempotency <name>". */
  name?: string;
  /** Whose key this is (a session, a user, an API client). */
  scope: string;
  /** null: no key, so no record: the run starts from the beginning whatever came before. */
  key: string | null;
  /** What the key stands for (requestFingerprint()): the same key must always ask for the same. */
  fingerprint: string;
  /** The request itself, so that a worker can finish an abandoned attempt. */
  request?: string;
  /**
   * Checks what the request asks against what is stored now (a refund above
   * what is left), for a new attempt only: a replay or a resumed attempt is
   * never refused by what it changed itself. If it throws, the attempt is
   * withdrawn and nothing is written.
   */
  precondition?: () => Promise<void>;
  /**
   * A resumed attempt goes on as it began: called with what it stored as
   * `request` before its phases run, for whatever of the first request the
   * fingerprint leaves out (a return URL, a client address) and a retry may
   * send otherwise.
   */
  resume?: (stored: string | null) => void;
  /** The phases by the recovery point each starts from; the first is STARTED ("started"). */
  phases: Record<string, Phase<NoInfer<Outcome>, Tx>>;
  /** The outcome's schema: a stored outcome is parsed with it when replayed. */
  outcome: OutcomeSchema<Outcome>;
  /** Wait (up to a lease) for an attempt running elsewhere instead of answering in_progress. */
  waitForRunning?: boolean;
  /** A failure that is not final (a foreign service down): the attempt is released for a retry. */
  retryable?: (error: unknown) => boolean;
  /** Called with each recovery point before its phase runs (crash tests: a SimulatedCrash thrown here stops the run there). */
  beforePhase?: (point: string) => void;
  /** Where each step of each attempt is told. */
  timeline?: Timeline<Tx>;
};

/** One step of one attempt (null: a run without a record): received, a recovery point reached, finished, replayed… */
export type AttemptEvent = { attemptId: string | null; kind: string; detail?: string };

/**
 * A step that moved the attempt is written in the transaction of its phase:
 * there exactly when the step committed, at no round trip of its own. A
 * request that moved nothing (a replay, a "still running") is only noted, to
 * be written off the request path, so that a retry costs one read.
 */
export type Timeline<Tx> = {
  write(tx: Tx, events: AttemptEvent[]): Promise<void>;
  note(event: AttemptEvent): void;
};

export type IdempotentResult<Outcome> =
  | { kind: "completed"; outcome: Outcome; replayed: boolean; attemptId: string }
  | { kind: "in_progress"; retryAfterSeconds: number }
  | { kind: "mismatch" }
  | { kind: "retryable"; error: unknown };

/** The crash-test hook: thrown from a phase, it leaves the attempt as a killed process would (lease held). */
export class SimulatedCrash extends Error {
  constructor(readonly point: string) {
    super(`simulated crash after ${point}`);
  }
}

/** A short word for the timeline: the outcome's `kind`, if it has one. */
const summary = (outcome: unknown) => String((outcome as { kind?: unknown } | null)?.kind ?? "finished");

export function runIdempotent<Outcome, Tx>(operation: IdempotentOperation<Outcome, Tx>): Promise<IdempotentResult<Outcome>> {
  const scrub = scrubbing(operation.scope, operation.key);
  return inRunSpan(operation.name, operation.scope, operation.key, scrub, (span) => run(operation, { span, scrub }));
}

/** Where a request's steps are told: its span, and what hides its key there. */
type Told = { span: Span; scrub: Scrub };

/** What became of the request, on its span. */
function settle(span: Span, outcome: RunOutcome, attempt?: { id: string; recoveryPoint: string; traceParent: string | null }) {
  span.setAttribute(ATTRIBUTES.outcome, outcome);
  if (!attempt) return;
  span.setAttribute(ATTRIBUTES.attemptId, attempt.id);
  span.setAttribute(ATTRIBUTES.recoveryPoint, attempt.recoveryPoint);
  if (outcome !== "new") linkToAttempt(span, attempt.traceParent);
}

/** One note of a request that moved nothing: to the timeline (off the request path) and to the span. */
function note<Tx>(operation: IdempotentOperation<unknown, Tx>, { span, scrub }: Told, event: AttemptEvent) {
  operation.timeline?.note(event);
  told(span, [event], scrub);
}

async function run<Outcome, Tx>(operation: IdempotentOperation<Outcome, Tx>, trail: Told): Promise<IdempotentResult<Outcome>> {
  const { span } = trail;
  if (operation.key === null) {
    await operation.precondition?.();
    settle(span, "new");
    return runPhases(operation, trail, { attemptId: randomUUID(), owner: "", unrecorded: true }, STARTED, { attemptId: null, kind: "received" });
  }
  const { leaseMs, now } = settings(operation);
  const deadline = now().getTime() + leaseMs + 2_000;
  const input = {
    scope: operation.scope,
    key: operation.key,
    fingerprint: operation.fingerprint,
    request: operation.request,
    traceParent: currentTraceParent(),
  };
  for (;;) {
    const claimed = await claim(operation, input);
    switch (claimed.kind) {
      case "mismatch":
        settle(span, "mismatch", claimed.attempt);
        return { kind: "mismatch" };
      case "replay": {
        const outcome = operation.outcome.parse(claimed.outcome);
        settle(span, "replayed", claimed.attempt);
        note(operation, trail, { attemptId: claimed.attempt.id, kind: "replayed", detail: summary(outcome) });
        return { kind: "completed", outcome, replayed: true, attemptId: claimed.attempt.id };
      }
      case "in_progress":
        if (!operation.waitForRunning || now().getTime() > deadline) {
          settle(span, "in_progress", claimed.attempt);
          note(operation, trail, { attemptId: claimed.attempt.id, kind: "in_progress" });
          return { kind: "in_progress", retryAfterSeconds: claimed.retryAfterSeconds };
        }
        await new Promise((r) => setTimeout(r, 150));
        continue;
      case "owned":
        if (!claimed.resumed && operation.precondition) {
          await operation.precondition().catch(async (error: unknown) => {
            await withdraw(operation, claimed.lease);
            throw error;
          });
        }
        const { attempt, lease } = claimed;
        if (claimed.resumed) operation.resume?.(attempt.request);
        settle(span, claimed.resumed ? "resumed" : "new", attempt);
        span.setAttribute(ATTRIBUTES.leaseOwner, lease.owner);
        const start = { attemptId: attempt.id, kind: claimed.resumed ? "resumed" : "received", detail: attempt.recoveryPoint };
        return runPhases(operation, trail, lease, attempt.recoveryPoint, start);
    }
  }
}

/** The record a lease is on, if any. */
const recordOf = (lease: StoredLease) => (lease.unrecorded ? null : lease.attemptId);

/** An attempt in flight in this process, what its phases share: its settings, its timeline, its request's span, and the events that wait for its next phase to commit. */
type InFlight<Tx> = { config: IdempotencyConfig<Tx>; timeline?: Timeline<Tx>; told: Told; pending: AttemptEvent[] };
const inFlightByLease = new WeakMap<StoredLease, InFlight<never>>();

function inFlightOf<Tx>(lease: Lease<Tx>): InFlight<Tx> {
  const inFlight = inFlightByLease.get(lease) as InFlight<Tx> | undefined;
  if (!inFlight) throw new Error("a phase ran with a lease that runIdempotent() did not give it");
  return inFlight;
}

async function runPhases<Outcome, Tx>(
  operation: IdempotentOperation<Outcome, Tx>,
  trail: Told,
  lease: Lease<Tx>,
  from: string,
  start: AttemptEvent,
): Promise<IdempotentResult<Outcome>> {
  const inFlight: InFlight<Tx> = { config: operation, timeline: operation.timeline, told: trail, pending: [start] };
  const { span, scrub } = trail;
  inFlightByLease.set(lease, inFlight as InFlight<never>);
  let point = from;
  try {
    for (;;) {
      const phase = operation.phases[point];
      if (!phase) throw new Error(`no phase for recovery point ${point}`);
      const result = await inPhaseSpan(point, scrub, async (phaseSpan) => {
        operation.beforePhase?.(point);
        const result = await phase(lease);
        if (!result?.[STORED]) throw new Error(`phase '${point}' returned a result not made by atomicPhase() or uniquePhase(): its move was never stored`);
        phaseSpan.setAttribute(ATTRIBUTES.reached, "finish" in result ? FINISHED : result.next);
        return result;
      });
      if ("finish" in result) return { kind: "completed", outcome: result.finish, replayed: false, attemptId: lease.attemptId };
      point = result.next;
    }
  } catch (error) {
    if (error instanceof SimulatedCrash) throw error;
    if (error instanceof LeaseLostError) {
      span.setAttribute(ATTRIBUTES.outcome, "in_progress");
      return { kind: "in_progress", retryAfterSeconds: 1 };
    }
    const message = error instanceof Error ? error.message : String(error);
    if (operation.retryable?.(error)) {
      await release(operation, lease, message);
      const events = [...inFlight.pending, { attemptId: recordOf(lease), kind: "unavailable", detail: message }];
      const { timeline } = inFlight;
      if (timeline) await operation.store.transaction((tx) => timeline.write(tx, events));
      told(span, events, scrub);
      span.setAttribute(ATTRIBUTES.outcome, "retryable");
      return { kind: "retryable", error };
    }
    await release(operation, lease, message).catch(() => {});
    throw error;
  }
}

/**
 * A local phase: `work` and the attempt's move to where it says commit
 * together, or neither does; so does the step's event on the timeline.
 */
export async function atomicPhase<const Outcome extends Literal = never, Tx = unknown>(
  lease: Lease<Tx>,
  work: (tx: Tx) => Promise<PhaseResult<Outcome>>,
): Promise<StoredMove<Settled<Outcome>>> {
  const inFlight = inFlightOf(lease);
  const { result, events } = await inFlight.config.store.transaction(async (tx) => {
    const result = await work(tx);
    if ("finish" in result) await finish(inFlight.config, tx, lease, result.finish);
    else await advance(inFlight.config, tx, lease, result.next);
    const step = "finish" in result ? { kind: "finished", detail: summary(result.finish) } : { kind: result.next, detail: result.detail };
    const events = [...inFlight.pending, { attemptId: recordOf(lease), ...step }];
    if (inFlight.timeline) await inFlight.timeline.write(tx, events);
    return { result, events };
  });
  // Told to the trace once committed: the request span's events are the steps the timeline holds.
  told(inFlight.told.span, events, inFlight.told.scrub);
  inFlight.pending = [];
  // A copy, so that an object the work returns again (a constant) is never marked itself.
  return Object.defineProperty({ ...result }, STORED, { value: true }) as StoredMove<Settled<Outcome>>;
}

/**
 * A local phase whose write may meet a business unique index (one review per
 * product and order, one address once per book): if another attempt wrote
 * that row first, the phase finishes with `already` instead. That is its own
 * transaction, since PostgreSQL aborts the one the violation happened in.
 */
export async function uniquePhase<const Outcome extends Literal = never, Tx = unknown, const Already extends Literal = Outcome>(
  lease: Lease<Tx>,
  work: (tx: Tx) => Promise<PhaseResult<Outcome>>,
  already: Already,
): Promise<StoredMove<Settled<Outcome | Already>>> {
  try {
    return await atomicPhase<Outcome | Already, Tx>(lease, work);
  } catch (error) {
    if (!inFlightOf(lease).config.store.isUniqueViolation(error)) throw error;
    return atomicPhase<Outcome | Already, Tx>(lease, async () => ({ finish: already }));
  }
}

/** Takes back the attempt this lease is on, refused before its first phase wrote anything: as if the key had never been sent. */
export async function withdrawAttempt<Tx>(lease: Lease<Tx>): Promise<void> {
  await withdraw(inFlightOf(lease).config, lease);
}
