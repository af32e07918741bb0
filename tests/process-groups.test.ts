// Stopping process groups (scripts/process-groups.ts): what the supervisor
// believes of a child's report, and how `npm run dev`'s web server stops the
// `next dev` it runs in a group of its own.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { describe, it } from "node:test";
import { appProcesses } from "../scripts/app-processes";
import { reportedGroup, stopGroup } from "../scripts/process-groups";

describe("a child's report of a process group", () => {
  it("is believed from npm run dev's web server only (next start is not our code)", () => {
    for (const kind of ["dev", "start"] as const) {
      const reporters = appProcesses(kind, "local").filter((p) => p.reportsGroup);
      assert.deepEqual(
        reporters.map((p) => p.name),
        kind === "dev" ? ["web"] : [],
        kind,
      );
    }
  });

  it("is a group when it is an object with an integer group above 1", () => {
    assert.equal(reportedGroup({ group: 4242 }), 4242);
  });

  it("is ignored otherwise: never 1 (every process of the user), 0 or below (the supervisor's own group, a single process), nor anything that is no such object", () => {
    for (const message of [
      null,
      undefined,
      7,
      "group",
      [],
      {},
      { group: 1 },
      { group: 0 },
      { group: -4242 },
      { group: 42.5 },
      { group: "4242" },
      { group: NaN },
      { group: Infinity },
    ]) {
      assert.equal(reportedGroup(message), undefined, JSON.stringify(message) ?? String(message));
    }
  });
});

describe("stopping a process group", () => {
  // The timeout: a failure rather than a wait without end, if the SIGKILL never comes.
  it("a group that ignores SIGTERM is SIGKILLed after the grace period (next dev, when the supervisor is gone)", { timeout: 30_000 }, async () => {
    // A group leader that ignores SIGTERM, as a `next dev` that never finishes stopping
    // (and ends when its stdin does: never left behind by a test run that failed).
    const code = "process.on('SIGTERM', () => {}); process.stdin.on('close', () => process.exit()).resume(); console.log('ready')";
    const child = spawn(process.execPath, ["-e", code], { detached: true, stdio: ["pipe", "pipe", "inherit"] });
    await once(child.stdout!, "data");
    const exited = once(child, "exit");
    assert.equal(stopGroup(child.pid!, "SIGTERM", 50), true);
    const [, signal] = await exited;
    assert.equal(signal, "SIGKILL");
  });

  it("a group that is gone: false", async () => {
    const child = spawn(process.execPath, ["-e", ""], { detached: true, stdio: "ignore" });
    await once(child, "exit");
    assert.equal(stopGroup(child.pid!, "SIGTERM", 50), false);
  });
});
