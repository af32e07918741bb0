// `npm run dev`'s supervisor (scripts/supervise.ts dev) leaves nothing behind
// when it stops: `next dev` runs in a process group of its own under
// scripts/dev-server.ts (so the lab's crash takes only it down), where a stop
// that reached only direct children, or only the supervisor's group, missed
// it and left it holding its port. Killed itself (kill -9), it leaves nothing
// either: each child stops when its channel to the supervisor closes. On its
// own SQLite file and ports.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { exited, instancePort } from "./app-instance";
import { descendants, inGroups, killGroups } from "./process-tree";
import { SERVER_NODE_ARGS } from "../scripts/node-args";

test.setTimeout(180_000);

const port = instancePort(114);
// Beside the app ports, among the local Stripe servers' (see production-start.spec.ts).
const stripePort = instancePort(115) + 10_000;
let scratch: string;
let env: NodeJS.ProcessEnv;

test.beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), "payonce-dev-supervisor-"));
  env = {
    ...process.env,
    NODE_OPTIONS: "",
    DATABASE_URL: `file:${path.join(scratch, "app.db")}`,
    PORT: String(port),
    LOCAL_STRIPE_PORT: String(stripePort),
    LOCAL_STRIPE_DB: path.join(scratch, "local-stripe.db"),
    NEXT_TELEMETRY_DISABLED: "1",
  };
  delete env.STRIPE_SECRET_KEY;
  delete env.STRIPE_WEBHOOK_SECRET;
  execFileSync(process.execPath, [...SERVER_NODE_ARGS, "scripts/migrate.ts", "deploy"], { env, stdio: "pipe" });
});
test.afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Nothing listens on the port (a connection is refused): what a process left holding it would spoil. */
const refuses = (p: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(p, "127.0.0.1", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });

/** The supervisor, as `npm run dev` runs it, once `next dev` and the local Stripe server listen. */
async function startDev(): Promise<{ supervisor: ChildProcess; groups: () => number[]; nextDev: () => number | undefined }> {
  // A process group of its own, as a terminal's job is (never this test's: it is cleaned up below).
  const supervisor = spawn(process.execPath, [...SERVER_NODE_ARGS, "scripts/supervise.ts", "dev"], { env, stdio: "ignore", detached: true });
  const nextDev = () => descendants(supervisor.pid!).find((p) => p.args.includes("next/dist/bin/next dev"))?.pid;
  await expect.poll(nextDev, { timeout: 60_000 }).toBeDefined();
  await expect.poll(() => refuses(port), { timeout: 120_000 }).toBe(false);
  await expect.poll(() => refuses(stripePort), { timeout: 30_000 }).toBe(false);
  let seen: number[] = [supervisor.pid!];
  const groups = () => (seen = [...new Set([...seen, ...descendants(supervisor.pid!).map((p) => p.pgid)])]);
  groups();
  return { supervisor, groups, nextDev };
}

async function expectNothingLeft(groups: number[]) {
  try {
    await expect.poll(() => inGroups(groups), { timeout: 20_000 }).toEqual([]);
    await expect.poll(() => refuses(port), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => refuses(stripePort), { timeout: 10_000 }).toBe(true);
  } finally {
    killGroups(groups);
  }
}

test("SIGTERM to the supervisor's pid alone stops everything, next dev included", async () => {
  const dev = await startDev();
  try {
    expect(dev.groups()).toContain(dev.nextDev()); // next dev leads a group of its own
    process.kill(dev.supervisor.pid!, "SIGTERM");
    await exited(dev.supervisor);
    await expectNothingLeft(dev.groups());
  } finally {
    killGroups(dev.groups());
  }
});

test("a SIGKILLed dev-server leaves no next dev behind: the supervisor stops it and the rest", async () => {
  const dev = await startDev();
  try {
    const devServer = descendants(dev.supervisor.pid!).find((p) => p.args.includes("scripts/dev-server.ts"));
    expect(devServer).toBeDefined();
    process.kill(devServer!.pid, "SIGKILL");
    expect(await exited(dev.supervisor)).not.toBe(0);
    await expectNothingLeft(dev.groups());
  } finally {
    killGroups(dev.groups());
  }
});

test("kill -9 of the supervisor leaves nothing behind: next dev, the worker and the local Stripe server stop by themselves", async () => {
  const dev = await startDev();
  try {
    process.kill(dev.supervisor.pid!, "SIGKILL");
    await exited(dev.supervisor);
    await expectNothingLeft(dev.groups());
  } finally {
    killGroups(dev.groups());
  }
});
