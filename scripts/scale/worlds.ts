// bench:scale's two worlds, run side by side: one whose tables the bench
// fills, one whose tables stay empty, each a child process (the app's
// database client is one per process) in a scratch database (PostgreSQL's or a
// SQLite file, as DATABASE_URL says) and local Stripe server of its own
// (scripts/scratch-env.ts). The parent asks both to measure
// at the same moment, so whatever else the machine is doing (it is shared)
// falls on both, and full vs empty compares the tables, not the minute.
import { fork, type ChildProcess } from "node:child_process";
import { performance } from "node:perf_hooks";
import { SERVER_NODE_ARGS } from "../node-args";
import { root, withScratchEnv } from "../scratch-env";
import { engine } from "./engine";
import { fill } from "./fill";
import { measureOperations } from "./operations";
import { reapUnderLoad } from "./reaping";

/** What the parent asks a world to do; each answer is the result of that call. */
export type Ask =
  | { do: "fill"; first: number; last: number; total: number; now: string }
  | { do: "measure"; samples: number }
  | { do: "sizes" }
  | { do: "reap"; seconds: number; claimsPerSecond: number }
  | { do: "exit" };

/** In the child (SCALE_WORLD set): opens the scratch world, then does what it is asked until told to exit. */
export async function serveWorld(label: string, stripePort: string): Promise<never> {
  const status = await withScratchEnv(label, stripePort, async (env) => {
    Object.assign(process.env, env);
    const { db } = await import("../../lib/db/db.server");
    const { seed } = await import("../../prisma/seed");
    await seed();
    await db.product.updateMany({ data: { stock: 1_000_000_000 } }); // orders never sell out mid-run
    const scale = await engine();
    const answer = async (ask: Ask): Promise<unknown> => {
      switch (ask.do) {
        case "fill": {
          const start = performance.now();
          const filled = await fill(scale, ask.first, ask.last, ask.total, new Date(ask.now));
          return { ...filled, seconds: (performance.now() - start) / 1000 };
        }
        case "measure":
          return measureOperations(ask.samples);
        case "sizes": {
          const connection = await scale.connect();
          const result = await scale.sizes(connection);
          await connection.end();
          return result;
        }
        case "reap":
          return reapUnderLoad(ask.seconds, ask.claimsPerSecond);
        case "exit":
          return null;
      }
    };
    await new Promise<void>((resolve, reject) => {
      process.on("message", (ask: Ask) => {
        answer(ask).then((result) => {
          process.send!({ result });
          if (ask.do === "exit") resolve();
        }, reject);
      });
      process.send!({ result: "ready" });
    });
    await db.$disconnect();
    return 0;
  });
  process.exit(status);
}

/** A world, from the parent: `ask` sends one request and waits for its answer. */
export type World = { ask<T>(ask: Ask): Promise<T>; ready: Promise<unknown>; exited: Promise<number | null> };

export function startWorld(script: string, args: string[], name: string, stripePort: string): World {
  const child: ChildProcess = fork(script, args, {
    cwd: root,
    execArgv: SERVER_NODE_ARGS,
    env: { ...process.env, SCALE_WORLD: name, SCALE_STRIPE_PORT: stripePort },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const next = () =>
    new Promise<unknown>((resolve, reject) => {
      const exited = (code: number | null) => reject(new Error(`the ${name} world exited (${code}) before it answered`));
      child.once("exit", exited);
      child.once("message", (message: { result: unknown }) => {
        child.off("exit", exited);
        resolve(message.result);
      });
    });
  const ready = next();
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  return {
    ready,
    exited,
    ask: async <T>(ask: Ask) => {
      const answered = next();
      child.send(ask);
      return (await answered) as T;
    },
  };
}
