// What is left of a process tree: the specs that start the supervisor
// (scripts/supervise.ts) check that stopping it leaves nothing behind, in any
// of the process groups it and its children began.
import { execFileSync } from "node:child_process";

export type ProcessInfo = { pid: number; ppid: number; pgid: number; args: string };

function processes(): ProcessInfo[] {
  return execFileSync("ps", ["-e", "-o", "pid=,ppid=,pgid=,args="])
    .toString()
    .split("\n")
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(\d+) (.*)$/.exec(line))
    .filter((match) => match !== null)
    .map((match) => ({ pid: Number(match[1]), ppid: Number(match[2]), pgid: Number(match[3]), args: match[4]! }));
}

/** Every process below `pid`, by parent pid, parents first. */
export function descendants(pid: number): ProcessInfo[] {
  const all = processes();
  const found: ProcessInfo[] = [];
  const walk = (parent: number) => {
    for (const p of all.filter((q) => q.ppid === parent)) {
      found.push(p);
      walk(p.pid);
    }
  };
  walk(pid);
  return found;
}

/** The command lines of every process still alive in these process groups. */
export const inGroups = (groups: number[]) =>
  processes()
    .filter((p) => groups.includes(p.pgid))
    .map((p) => p.args);

/** SIGKILL to each group (cleanup after a failed check). */
export function killGroups(groups: number[]) {
  for (const group of groups) {
    try {
      process.kill(-group, "SIGKILL");
    } catch {
      // Empty, as it should be.
    }
  }
}
