// A small job queue on the Prisma models (why not a library:
// docs/decisions/0002-jobs.md). A job is a list of named steps:
//   - claims are atomic (one conditional update) and leased, so a dead
//     worker's job is picked up again once its lease runs out;
//   - each finished step is recorded in the same transaction as its side
//     effect, so a retry resumes at the first unfinished step;
//   - attempts count at claim; failures back off exponentially, and after
//     maxAttempts the job is dead, with its last error, for a person to look
//     at: also when no step threw, because its worker died every time.
// A job keeps the trace context of what queued it (with tracing on), so its
// run and its steps are spans of the checkout's own trace.
import "server-only";
import { randomUUID } from "node:crypto";
import { db, insertIfAbsent, Prisma, type Tx } from "../db/db.server";
import { env } from "../env.server";
import { currentTraceParent, LeaseLostError } from "@payonce/kit";
import { SpanStatusCode } from "@opentelemetry/api";
import { caughtBy, inSpan, SHOP_ATTRIBUTES } from "../telemetry/spans.server";
import { RECORDED_STEPS, type StepPolicy } from "../policy";

export type JobContext = {
  orderId: string;
  /** Whether this run records its steps, and how its effects are keyed (lib/policy.ts). */
  policy: StepPolicy;
};

/**
 * A local step runs inside the transaction that records it. A foreign step
 * (another system: SMTP, an API) runs outside any transaction, then is
 * recorded; its own effect must tolerate a repeat after a crash in between.
 */
export type Step = { name: string; run(tx: Tx, job: JobContext): Promise<void> } | { name: string; foreign(job: JobContext): Promise<void> };

export type JobDefinition = { kind: string; steps: Step[] };

/** What runJob's caller hands in: every step recorded and keyed, and no crash, unless it says otherwise. */
export type JobRunOptions = {
  /** The policy of a job's steps, by the order it is for. */
  policy?: (orderId: string) => Promise<StepPolicy>;
  /** Crash tests: called right after each step is finished and recorded. */
  crashAfterStep?: (step: string) => void;
};

export async function enqueue(tx: Tx, kind: string, orderId: string) {
  await tx.job.create({ data: { kind, orderId, traceParent: currentTraceParent() } });
}

/** Takes one runnable job, or none: several workers may race, one wins each job. */
export async function claimJob(workerId: string, now = new Date()) {
  const runnable: Prisma.JobWhereInput = {
    runAfter: { lte: now },
    OR: [{ state: "queued" }, { state: "running", lockedUntil: { lt: now } }],
  };
  // Read per state, each a range of the (state, runAfter) index: one read of "queued, or running past
  // its lease" scanned and sorted the whole backlog (344 ms at a million queued jobs; 0.04 ms split).
  const read = (where: Prisma.JobWhereInput) =>
    db.job.findMany({
      where: { runAfter: { lte: now }, ...where },
      orderBy: { runAfter: "asc" },
      take: 5,
      select: { id: true, attempts: true, runAfter: true },
    });
  const [queued, expired] = await Promise.all([read({ state: "queued" }), read({ state: "running", lockedUntil: { lt: now } })]);
  const candidates = [...queued, ...expired].sort((a, b) => a.runAfter.getTime() - b.runAfter.getTime()).slice(0, 5);
  for (const { id, attempts } of candidates) {
    // Out of attempts though no step ever threw: its worker died every time.
    const buried = await db.job.updateMany({
      where: { id, ...runnable, attempts: { gte: db.job.fields.maxAttempts } },
      data: {
        state: "dead",
        leaseOwner: null,
        lockedUntil: null,
        finishedAt: now,
        lastError: `gave up after ${attempts} attempts: its worker stopped (killed or crashed) every time before finishing`,
      },
    });
    if (buried.count === 1) continue;
    const { count } = await db.job.updateMany({
      where: { id, ...runnable },
      data: { state: "running", leaseOwner: workerId, lockedUntil: new Date(now.getTime() + env().jobs.leaseMs), attempts: { increment: 1 } },
    });
    if (count === 1) return db.job.findUniqueOrThrow({ where: { id }, include: { steps: true } });
  }
  return null;
}

type ClaimedJob = NonNullable<Awaited<ReturnType<typeof claimJob>>>;

/** Runs a claimed job from its first unfinished step: a span in the trace that queued it. */
export function runJob(definition: JobDefinition, job: ClaimedJob, workerId: string, options: JobRunOptions = {}) {
  const attributes = { [SHOP_ATTRIBUTES.jobKind]: job.kind, [SHOP_ATTRIBUTES.orderId]: job.orderId, "payonce.job.attempt": job.attempts };
  return inSpan(
    `job ${job.kind}`,
    attributes,
    async (span) => {
      const result = await runSteps(definition, job, workerId, options);
      // done | lost (another worker took it over) | retry (queued again, backing off) | dead
      span.setAttribute(SHOP_ATTRIBUTES.jobResult, result);
      if (result === "retry" || result === "dead") span.setStatus({ code: SpanStatusCode.ERROR, message: `job ${result}` });
      return result;
    },
    { parent: job.traceParent },
  );
}

/** A step's span: done, or failed (its error on the span). */
const inStepSpan = (name: string, work: () => Promise<void>) =>
  inSpan(`job.step ${name}`, { "payonce.job.step": name }, async (span) => {
    span.setAttribute(SHOP_ATTRIBUTES.stepResult, "failed");
    await work();
    span.setAttribute(SHOP_ATTRIBUTES.stepResult, "done");
  });

async function runSteps(definition: JobDefinition, job: ClaimedJob, workerId: string, { policy = async () => RECORDED_STEPS, crashAfterStep }: JobRunOptions) {
  const context: JobContext = { orderId: job.orderId, policy: await policy(job.orderId) };
  const done = new Set(context.policy.recordsSteps ? job.steps.map((s) => s.name) : []);
  try {
    for (const step of definition.steps) {
      if (done.has(step.name)) {
        // An earlier run finished and recorded it: not done again.
        await inSpan(`job.step ${step.name}`, { "payonce.job.step": step.name, [SHOP_ATTRIBUTES.stepResult]: "skipped" }, async (span) =>
          caughtBy("jobSteps", span),
        );
        continue;
      }
      await inStepSpan(step.name, () => runStep(step, context, job.id, workerId));
      crashAfterStep?.(step.name);
    }
    await db.job.updateMany({
      where: { id: job.id, leaseOwner: workerId },
      data: { state: "done", finishedAt: new Date(), leaseOwner: null, lockedUntil: null, lastError: null },
    });
    return "done" as const;
  } catch (error) {
    if (error instanceof LeaseLostError) return "lost" as const;
    const message = error instanceof Error ? error.message : String(error);
    const dead = job.attempts >= job.maxAttempts;
    await db.job.updateMany({
      where: { id: job.id, leaseOwner: workerId },
      data: {
        state: dead ? "dead" : "queued",
        lastError: message,
        leaseOwner: null,
        lockedUntil: null,
        runAfter: new Date(Date.now() + env().jobs.backoffMs * 2 ** (job.attempts - 1)),
      },
    });
    return dead ? ("dead" as const) : ("retry" as const);
  }
}

/** One step: its effect, and its record in the same transaction as a local effect (after a foreign one). */
async function runStep(step: Step, context: JobContext, jobId: number, workerId: string) {
  if ("foreign" in step) await step.foreign(context);
  await db.$transaction(async (tx) => {
    if ("run" in step) await step.run(tx, context);
    // Recorded by another worker since we read the job's steps: it holds the job now.
    if (context.policy.recordsSteps && !(await insertIfAbsent(tx, "JobStep", { jobId, name: step.name, finishedAt: new Date() }))) {
      throw new LeaseLostError(`job ${jobId}`);
    }
    // Renew the lease; if another worker took the job over, undo this step.
    const { count } = await tx.job.updateMany({
      where: { id: jobId, leaseOwner: workerId },
      data: { lockedUntil: new Date(Date.now() + env().jobs.leaseMs) },
    });
    if (count !== 1) throw new LeaseLostError(`job ${jobId}`);
  });
}

export const newWorkerId = () => `worker-${process.pid}-${randomUUID().slice(0, 8)}`;
