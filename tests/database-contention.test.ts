// Several processes writing one database at once, as in production and in
// every e2e run: customers checking out and replaying (two processes), the
// webhooks of each payment delivered twice, and the real worker running
// fulfillment jobs. Nothing may fail for want of the database lock, and the
// exactly-once figures must hold. (Issue 9: on SQLite, deferred transactions
// failed with P1008 when another process wrote between their read and write.)
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { describe, it } from "node:test";
import { db } from "../lib/db/db.server";
import { paymentTruth } from "./helpers";
import { SERVER_NODE_ARGS } from "../scripts/node-args";
import { until } from "./wait";

type Report = { sessions: string[]; checkouts: number; webhooks: number; errors: string[] };

function run(script: string, env: Record<string, string>) {
  const child = spawn(process.execPath, [...SERVER_NODE_ARGS, script], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d));
  child.stderr.on("data", (d: Buffer) => (stderr += d));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

// Per customer process; each customer checks out and replays once (two checkouts).
const CUSTOMERS = 8;

describe("several processes on one database", () => {
  it("customers, webhooks and the worker hammering it together: no lock errors, one charge per paid order, one job each", async (t) => {
    const worker = run("scripts/worker.ts", { JOB_POLL_MS: "20", COMPLETER_INTERVAL_SECONDS: "1" });
    const customers = [0, 1].map(() => run("tests/contention-customer.ts", { STRESS_CUSTOMERS: String(CUSTOMERS) }));
    await Promise.all(customers.map((c) => c.exited));
    const reports = customers.map((c) => JSON.parse(c.output().stdout.trim().split("\n").at(-1) ?? "{}") as Report);
    const sessions = reports.flatMap((r) => r.sessions);

    const orders = await db.order.findMany({ where: { sessionId: { in: sessions } } });
    const paid = orders.filter((o) => o.status === "paid");
    // The worker finishes every paid order's job, then stops.
    await until(
      async () => (await db.job.count({ where: { orderId: { in: paid.map((o) => o.id) }, state: { not: "done" } } })) === 0,
      "the worker to finish every paid order's job",
    ).catch(() => {}); // What it did is asserted below, exactly.
    worker.child.kill("SIGTERM");
    await worker.exited;

    assert.deepEqual(
      reports.flatMap((r) => r.errors),
      [],
      "customer errors",
    );
    assert.equal(worker.output().stderr, "", "worker errors");
    assert.deepEqual(
      reports.map((r) => r.checkouts),
      [2 * CUSTOMERS, 2 * CUSTOMERS],
      "every customer checked out and replayed",
    );
    for (const session of sessions) {
      const truth = await paymentTruth(session);
      assert.equal(truth.orders.length, 1, "one order per customer");
      assert.equal(truth.intents.length, 1, "one PaymentIntent per order");
      assert.equal(truth.succeededCharges, truth.orders[0]?.status === "paid" ? 1 : 0, "a charge only for a paid order");
    }
    const jobs = await db.job.findMany({ where: { orderId: { in: paid.map((o) => o.id) } } });
    t.diagnostic(
      `${reports.reduce((n, r) => n + r.checkouts, 0)} checkouts and replays, ${reports.reduce((n, r) => n + r.webhooks, 0)} webhook deliveries, ` +
        `${orders.length} orders (${paid.length} paid), ${jobs.length} jobs`,
    );
    assert.equal(jobs.length, paid.length, "one job per paid order");
    assert.ok(
      jobs.every((j) => j.state === "done"),
      "every job done",
    );
    const events = await db.webhookEvent.findMany({ where: { processedAt: null, type: { startsWith: "payment_intent." } } });
    assert.deepEqual(
      events.map((e) => e.lastError),
      [],
      "every webhook event applied",
    );
  });
});
