// The package's tests start servers two ways: in this process (start(), most
// of them, on free ports) and, where a test needs a process to kill or exit
// codes to read, as the command a user runs (src/cli.ts under tsx). Waits
// have one generous budget: CI runs two suites side by side on two cores,
// where a process under tsx has taken over 10 s to start.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

export const CLI = fileURLToPath(new URL("../src/cli.ts", import.meta.url));
const BUDGET_MS = 60_000;

/** Resolves once `predicate` holds (checked every 100 ms); fails the test, naming `what`, after the budget. */
export async function until(predicate: () => boolean | Promise<boolean>, what: string) {
  const deadline = Date.now() + BUDGET_MS;
  for (;;) {
    if (await predicate()) return;
    if (Date.now() > deadline) assert.fail(`timed out after ${BUDGET_MS / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export type Run = { child: ChildProcess; output(): string; exited: Promise<number | null> };

/** Node with these arguments, its stdout and stderr kept together. */
export function node(args: string[], cwd?: string): Run {
  const child = spawn(process.execPath, args, { cwd });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d));
  child.stderr.on("data", (d: Buffer) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** payonce-stripe (this package's source) with these arguments. */
export const payonceStripe = (args: string[]) => node(["--import", "tsx", CLI, ...args]);

/** payonce-stripe up and listening: the port it said it listens on (give --port 0 for a free one). */
export async function listening(run: Run): Promise<number> {
  let port: number | undefined;
  let exited = false;
  void run.exited.then(() => (exited = true));
  await until(() => {
    port = Number(/listening on http:\/\/[^\s]+:(\d+)/.exec(run.output())?.[1]) || undefined;
    if (exited && port === undefined) assert.fail(`payonce-stripe exited: ${run.output()}`);
    return port !== undefined;
  }, "payonce-stripe to listen");
  return port!;
}
