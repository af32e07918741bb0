// bench:queue's workers: `workers` async loops in this process, each taking a
// job, running it (a no-op) and marking it done, as fast as they can for a
// while. Ours through lib/worker/jobs.server.ts itself (claimJob, then runJob
// with a definition of no steps: its one UPDATE to done), on the app's Prisma
// client (a pool of 10 connections: each loop has one statement in flight at
// most); pg-boss through fetch() and complete() on its own pool, as many
// connections as loops. A claim's latency is the time from starting to look
// until holding a job, the misses included (a claim that found every
// candidate taken by another loop and looked again).
import { performance } from "node:perf_hooks";
import type PgBoss from "pg-boss";

export type Cell = { queue: string; workers: number; seconds: number; jobs: number; misses: number; latencies: number[] };

type Claimer = { claim(): Promise<boolean>; complete(): Promise<void> };

async function run(queue: string, workers: number, seconds: number, claimer: () => Claimer): Promise<Cell> {
  const latencies: number[] = [];
  let jobs = 0;
  let misses = 0;
  const start = performance.now();
  const until = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      const worker = claimer();
      while (performance.now() < until) {
        const t = performance.now();
        let got = await worker.claim();
        while (!got && performance.now() < until) {
          misses++;
          got = await worker.claim();
        }
        if (!got) break;
        latencies.push(performance.now() - t);
        await worker.complete();
        jobs++;
      }
    }),
  );
  return { queue, workers, seconds: (performance.now() - start) / 1000, jobs, misses, latencies };
}

export async function runOurs(workers: number, seconds: number): Promise<Cell> {
  const { claimJob, newWorkerId, runJob } = await import("../../lib/worker/jobs.server");
  const noop = { kind: "fulfillment", steps: [] };
  return run("ours", workers, seconds, () => {
    const id = newWorkerId();
    let job: Awaited<ReturnType<typeof claimJob>> = null;
    return {
      claim: async () => (job = await claimJob(id)) !== null,
      complete: async () => {
        if ((await runJob(noop, job!, id)) !== "done") throw new Error(`job ${job!.id} was not done`);
      },
    };
  });
}

export async function runPgBoss(boss: PgBoss, queue: string, workers: number, seconds: number): Promise<Cell> {
  return run("pg-boss", workers, seconds, () => {
    let id = "";
    return {
      claim: async () => {
        const [job] = await boss.fetch(queue, { batchSize: 1 });
        id = job?.id ?? "";
        return job !== undefined;
      },
      complete: async () => {
        await boss.complete(queue, id);
      },
    };
  });
}
