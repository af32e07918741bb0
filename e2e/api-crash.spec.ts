// The server process is killed (SIGKILL, by a fault switch) between
// payment_created and finished, restarted, and the client retries: one charge.
import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { db } from "../lib/db/db.server";
import { ALL_OFF } from "../lib/demo/protections";
import { saveProtections } from "../lib/demo/protections.server";
import { exited, instancePort, startApp as startInstance, stopApp } from "./app-instance";
import { BACKGROUND_WORK_MS, timeoutForBackgroundWaits } from "./background-work";
import { paymentIntentsOf, startWorker } from "./fixtures";

const PORT = instancePort(101);
const BASE = `http://127.0.0.1:${PORT}`;
const ORDER = { email: "crash@example.com", items: [{ slug: "candle", quantity: 1 }], paymentMethod: "pm_card_visa" };

/** An instance whose dead holder's lease runs out in 2 s. */
const startApp = (extraEnv: Record<string, string> = {}) => startInstance(PORT, { IDEMPOTENCY_LEASE_SECONDS: "2", ...extraEnv });

const post = (token: string, key: string) =>
  fetch(`${BASE}/api/orders`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Idempotency-Key": key, "Content-Type": "application/json" },
    body: JSON.stringify(ORDER),
  });

for (const mode of ["protected", "unprotected"] as const) {
  test(`server killed between payment_created and finished, restarted, retried (${mode}) → ${mode === "protected" ? "one charge" : "two charges"}`, async () => {
    test.setTimeout(120_000);
    await db.product.update({ where: { slug: "candle" }, data: { stock: 1000 } });
    let app = await startApp({ PAYONCE_CRASH_AFTER: "payment_created" });
    const died = exited(app.process);
    const { token } = (await (await fetch(`${BASE}/api/sessions`, { method: "POST" })).json()) as { token: string };
    if (mode === "unprotected") await saveProtections(token, ALL_OFF);
    const key = randomUUID();

    await expect(post(token, key)).rejects.toThrow();
    expect(await died).toBe("SIGKILL");
    await stopApp(app);
    const record = await db.attempt.findFirst({ where: { scope: token } });
    // Without layer 2 there is no record: nothing says where the dead request stopped.
    expect(record?.recoveryPoint).toBe(mode === "protected" ? "payment_created" : undefined);

    app = await startApp();
    try {
      await new Promise((r) => setTimeout(r, 2_100)); // the dead process's lease runs out
      const retry = await post(token, key);
      expect(retry.status).toBe(201);
      const orders = await db.order.findMany({ where: { sessionId: token } });
      const charges = (await paymentIntentsOf(orders.map((o) => o.id))).flatMap((pi) => pi.charges).filter((c) => c.status === "succeeded");
      if (mode === "protected") {
        expect(orders).toHaveLength(1);
        expect(orders[0]?.status).toBe("paid");
        expect(charges).toHaveLength(1);
      } else {
        expect(charges).toHaveLength(2);
      }
    } finally {
      await stopApp(app);
    }
  });
}

test("an attempt abandoned by a killed server is finished by the worker's completer, with no retry", async () => {
  test.setTimeout(timeoutForBackgroundWaits(1, 120_000));
  const app = await startApp({ PAYONCE_CRASH_AFTER: "order_created" });
  const died = exited(app.process);
  const { token } = (await (await fetch(`${BASE}/api/sessions`, { method: "POST" })).json()) as { token: string };
  await expect(post(token, randomUUID())).rejects.toThrow();
  expect(await died).toBe("SIGKILL");
  await stopApp(app);
  const [order] = await db.order.findMany({ where: { sessionId: token } });
  expect(order?.status).toBe("awaiting_payment");

  const worker = startWorker({ COMPLETER_INTERVAL_SECONDS: "1" });
  try {
    // The dead process's lease (2 s) runs out; then the completer takes the attempt over.
    await new Promise((r) => setTimeout(r, 2_100));
    await expect.poll(async () => (await db.order.findUniqueOrThrow({ where: { id: order!.id } })).status, { timeout: BACKGROUND_WORK_MS }).toBe("paid");
    const charges = (await paymentIntentsOf([order!.id])).flatMap((pi) => pi.charges).filter((c) => c.status === "succeeded");
    expect(charges).toHaveLength(1);
  } finally {
    worker.stop();
  }
});
