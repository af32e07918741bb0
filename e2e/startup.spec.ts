// A server that would run with a wrong setting stops at start-up instead,
// saying what to fix.
import { spawn } from "node:child_process";
import { expect, test } from "@playwright/test";
import { exited, instancePort } from "./app-instance";

test("next start with a Stripe key but no STRIPE_WEBHOOK_SECRET exits at once with a clear message", async () => {
  const env: NodeJS.ProcessEnv = { ...process.env, STRIPE_SECRET_KEY: "sk_test_startup", NEXT_TELEMETRY_DISABLED: "1" };
  delete env.STRIPE_WEBHOOK_SECRET;
  env.SESSION_SECRET = "s".repeat(32);
  const app = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(instancePort(103)), "-H", "127.0.0.1"], { env });
  let output = "";
  app.stdout.on("data", (d: Buffer) => (output += d));
  app.stderr.on("data", (d: Buffer) => (output += d));
  const code = await Promise.race([exited(app), new Promise((r) => setTimeout(() => r("still running"), 30_000))]);
  app.kill("SIGKILL");
  expect(code).toBe(1);
  expect(output).toContain("required when STRIPE_SECRET_KEY is set:\n✖ STRIPE_WEBHOOK_SECRET");
});
