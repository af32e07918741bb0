// The database busy anyway (another process holds SQLite's write lock past the
// busy timeout): the API answers 503 problem+json with Retry-After, the Pay
// form a retryable message with the same key, and the retry pays once.
// Before issue 9 the API answered an empty 500 and the form Next's error page.
import { createClient } from "@libsql/client";
import { randomUUID } from "node:crypto";
import { db } from "../lib/db/db.server";
import { instancePort, startApp, stopApp, type AppInstance } from "./app-instance";
import { timeoutForBackgroundWaits } from "./background-work";
import { expect, paymentIntentsOf, test } from "./fixtures";

const DATABASE_URL = process.env.DATABASE_URL ?? "";
const PORT = instancePort(102);

test.skip(!DATABASE_URL.startsWith("file:"), "SQLite's write lock; PostgreSQL's busy case is its connection pool");

/** Holds the write lock, as a long write in another process would. */
async function holdWriteLock() {
  const client = createClient({ url: DATABASE_URL });
  const transaction = await client.transaction("write");
  return async () => {
    await transaction.rollback();
    client.close();
  };
}

let app: AppInstance;
test.beforeAll(async () => {
  app = await startApp(PORT, { SQLITE_BUSY_TIMEOUT_MS: "300" });
});
test.afterAll(async () => stopApp(app));
test.use({ baseURL: `http://127.0.0.1:${PORT}` });
// The Pay form's story waits for the checkout to settle (Shopper.settled).
test.describe.configure({ timeout: timeoutForBackgroundWaits(1) });

test("API: a locked database is a 503 problem with Retry-After; the same key then pays once", async () => {
  await db.product.update({ where: { slug: "candle" }, data: { stock: 1000 } });
  const { token } = (await (await fetch(`${app.base}/api/sessions`, { method: "POST" })).json()) as { token: string };
  const key = randomUUID();
  const post = () =>
    fetch(`${app.base}/api/orders`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Idempotency-Key": key, "Content-Type": "application/json" },
      body: JSON.stringify({ email: "busy@example.com", items: [{ slug: "candle", quantity: 1 }], paymentMethod: "pm_card_visa" }),
    });

  const release = await holdWriteLock();
  const busy = await post().finally(release);
  expect(busy.status).toBe(503);
  expect(busy.headers.get("content-type")).toBe("application/problem+json");
  expect(busy.headers.get("retry-after")).toBe("1");
  expect(await busy.json()).toMatchObject({ type: "/problems/service-unavailable", status: 503 });
  expect(await db.order.count({ where: { sessionId: token } })).toBe(0);

  const retry = await post();
  expect(retry.status).toBe(201);
  const orders = await db.order.findMany({ where: { sessionId: token } });
  expect(orders.map((o) => o.status)).toEqual(["paid"]);
  const charges = (await paymentIntentsOf(orders.map((o) => o.id))).flatMap((pi) => pi.charges).filter((c) => c.status === "succeeded");
  expect(charges).toHaveLength(1);
});

test("Pay form: a locked database is a retryable message with the same key, never an error page; Pay again pays once", async ({ shopper, page }) => {
  await shopper.start("protected");
  await shopper.addToCart();
  await shopper.fillPayment();
  const key = await page.getByTestId("idempotency-key").inputValue();

  const release = await holdWriteLock();
  try {
    await shopper.clickPay(1);
    await expect(page.getByRole("status")).toContainText("The shop is very busy right now");
  } finally {
    await release();
  }
  await expect(page).toHaveURL(/\/checkout$/);
  await expect(shopper.payButton()).toBeEnabled();
  expect(await page.getByTestId("idempotency-key").inputValue()).toBe(key);

  await shopper.clickPay(1);
  await expect(page).toHaveURL(/\/orders\//);
  const truth = await shopper.settled();
  expect(truth.orders.map((o) => o.status)).toEqual(["paid"]);
  expect(truth.succeededCharges).toBe(1);
});
