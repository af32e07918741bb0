// A second app instance (next start) on the same database and Stripe server as
// the suite's own, on a port of its own, for tests that need other settings
// or that kill it.
import { spawn, type ChildProcess } from "node:child_process";
import { expect } from "@playwright/test";

export type AppInstance = { process: ChildProcess; base: string };

/** A port for an extra instance, next to the suite's own app (playwright.config.ts). */
export const instancePort = (offset: number) => Number(process.env.E2E_APP_PORT) + offset;

export async function startApp(port: number, extraEnv: Record<string, string> = {}): Promise<AppInstance> {
  const base = `http://127.0.0.1:${port}`;
  const app = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "127.0.0.1"], {
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...extraEnv },
    stdio: "ignore",
    // Its own process group, so that stopping it stops every process it started.
    detached: true,
  });
  const started = exited(app).then((code) => {
    throw new Error(`the app exited while starting (${code})`);
  });
  const ready = expect
    .poll(
      () =>
        fetch(`${base}/api/products`).then(
          (r) => r.status,
          () => 0,
        ),
      { timeout: 30_000 },
    )
    .toBe(200);
  await Promise.race([ready, started]);
  started.catch(() => {}); // It may exit later, by design (a crash switch).
  return { process: app, base };
}

export const exited = (app: ChildProcess) =>
  app.exitCode !== null || app.signalCode !== null
    ? Promise.resolve(app.signalCode ?? app.exitCode)
    : new Promise<NodeJS.Signals | number | null>((r) => app.once("exit", (code, signal) => r(signal ?? code)));

/** Stops an instance (its whole process group) and waits until its port is free. */
export async function stopApp(app: AppInstance) {
  try {
    process.kill(-app.process.pid!, "SIGKILL");
  } catch {
    // Already gone.
  }
  await expect
    .poll(
      () =>
        fetch(`${app.base}/api/products`).then(
          () => "up",
          () => "down",
        ),
      { timeout: 10_000 },
    )
    .toBe("down");
}
