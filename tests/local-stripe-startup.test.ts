// The local Stripe server signs webhook events with its own public secret: given a secret of the
// operator's (a real STRIPE_WEBHOOK_SECRET) it would sign events the app takes for Stripe's, for
// anyone who reaches it. It refuses to start, saying why; without one it starts on loopback.
// Each start has a database file of its own, removed with its -wal/-shm once the process is gone.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { SERVER_NODE_ARGS } from "../scripts/node-args";

/** Starts the server with `env`; resolves once it has exited: with its exit code, or "listening" if it listened (then it is stopped). */
function start(env: Record<string, string | undefined>): Promise<{ result: number | "listening"; output: string }> {
  const db = path.join(tmpdir(), `payonce-local-stripe-startup-${process.pid}-${randomBytes(4).toString("hex")}.db`);
  const server = spawn(process.execPath, [...SERVER_NODE_ARGS, "local-stripe/server.ts"], {
    env: { ...process.env, LOCAL_STRIPE_PORT: "0", LOCAL_STRIPE_DB: db, LOCAL_STRIPE_WEBHOOK_URL: "", ...env },
  });
  let output = "";
  let listened = false;
  const collect = (d: Buffer) => {
    output += d;
    if (!listened && output.includes("listening")) {
      listened = true;
      server.kill();
    }
  };
  server.stdout.on("data", collect);
  server.stderr.on("data", collect);
  return new Promise((resolve) => {
    server.on("close", (code) => {
      for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(`${db}${suffix}`, { force: true });
      resolve({ result: listened ? "listening" : (code ?? -1), output });
    });
  });
}

describe("local Stripe server start-up", () => {
  it("refuses to start with a webhook signing secret other than its public one, saying why", { timeout: 30_000 }, async () => {
    const { result, output } = await start({ STRIPE_WEBHOOK_SECRET: "whsec_a_real_endpoint_secret" });
    assert.equal(result, 1, output);
    assert.match(output, /not started\. STRIPE_WEBHOOK_SECRET is set to a secret of your own/);
    assert.match(output, /whsec_payonce_local/);
  });

  it("starts with its own public secret, or none, and listens on loopback by default", { timeout: 30_000 }, async () => {
    for (const secret of [undefined, "whsec_payonce_local"]) {
      const { result, output } = await start({ STRIPE_WEBHOOK_SECRET: secret, LOCAL_STRIPE_HOST: undefined });
      assert.equal(result, "listening", output);
      assert.match(output, /listening on http:\/\/127\.0\.0\.1:/);
    }
  });
});
