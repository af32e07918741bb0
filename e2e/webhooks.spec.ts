// The webhook endpoint over HTTP: the app's own route, fed by the local Stripe
// server's signed deliveries and by hand-made forgeries.
import { expect, test } from "@playwright/test";
import Stripe from "stripe";
import { db } from "../lib/db/db.server";
import { ALL_ON } from "../lib/demo/protections";
import { saveProtections } from "../lib/demo/protections.server";
import { stripeFaults } from "../tests/local-stripe-control";
import { BACKGROUND_WORK_MS, timeoutForBackgroundWaits } from "./background-work";

// Up to two waits in a row for the local Stripe server's deliveries.
test.describe.configure({ timeout: timeoutForBackgroundWaits(2) });

const signer = new Stripe("sk_test_signer");
const event = (id: string) => JSON.stringify({ id, object: "event", type: "customer.created", data: { object: { id: "cus_x", object: "customer" } } });

test("a forged, stale or missing signature is a 400 and writes nothing; a redelivery is a 200 with no effect", async ({ request }) => {
  const id = `evt_e2e_${Date.now()}`;
  const body = event(id);
  const post = (signature?: string) =>
    request.post("/api/webhooks/stripe", { data: body, headers: { "Content-Type": "application/json", ...(signature && { "Stripe-Signature": signature }) } });

  expect((await post()).status()).toBe(400);
  expect((await post(signer.webhooks.generateTestHeaderString({ payload: body, secret: "whsec_forged" }))).status()).toBe(400);
  const stale = signer.webhooks.generateTestHeaderString({ payload: body, secret: "whsec_payonce_local", timestamp: Math.floor(Date.now() / 1000) - 301 });
  expect((await post(stale)).status()).toBe(400);
  expect(await db.webhookEvent.count({ where: { eventId: id } })).toBe(0);

  const good = () => signer.webhooks.generateTestHeaderString({ payload: body, secret: "whsec_payonce_local" });
  const first = await post(good());
  expect(first.status()).toBe(200);
  expect(await first.json()).toEqual({ status: 200, result: "processed" });
  const again = await post(good());
  expect(await again.json()).toEqual({ status: 200, result: "duplicate" });
  expect((await db.webhookEvent.findFirstOrThrow({ where: { eventId: id } })).deliveries).toBe(2);
});

test("the local Stripe server's deliveries reach the app and are applied once", async ({ request }) => {
  const { token } = (await (await request.post("/api/sessions")).json()) as { token: string };
  await db.product.update({ where: { slug: "tote" }, data: { stock: 1000 } });
  const response = await request.post("/api/orders", {
    data: { email: "hook@example.com", items: [{ slug: "tote", quantity: 1 }], paymentMethod: "pm_card_chargeDeclined" },
    headers: { Authorization: `Bearer ${token}`, "Idempotency-Key": `hook-${Date.now()}` },
  });
  expect(response.status()).toBe(402);
  const { order } = (await response.json()) as { order: { id: string } };
  // payment_intent.payment_failed, delivered by the local server, counts the decline once.
  await expect.poll(async () => (await db.order.findUniqueOrThrow({ where: { id: order.id } })).failedPayments, { timeout: BACKGROUND_WORK_MS }).toBe(1);
});

// The lab's "webhook dedupe" layer, per session: each decline event is delivered three times.
for (const dedupe of [true, false]) {
  test(`a decline delivered three times, webhook dedupe ${dedupe ? "on → counted once" : "off → counted three times"}`, async ({ request }) => {
    const { token } = (await (await request.post("/api/sessions")).json()) as { token: string };
    await saveProtections(token, { ...ALL_ON, webhookDedupe: dedupe });
    await db.product.update({ where: { slug: "tote" }, data: { stock: 1000 } });
    await stripeFaults({ webhooks: { duplicates: 2, delayMs: 0, shuffle: false } });
    try {
      const response = await request.post("/api/orders", {
        data: { email: "hook@example.com", items: [{ slug: "tote", quantity: 1 }], paymentMethod: "pm_card_chargeDeclined" },
        headers: { Authorization: `Bearer ${token}`, "Idempotency-Key": `hook-${Date.now()}` },
      });
      expect(response.status()).toBe(402);
      const { order } = (await response.json()) as { order: { id: string } };
      const failed = () => db.order.findUniqueOrThrow({ where: { id: order.id } }).then((o) => o.failedPayments);
      // Every copy has arrived once the event's row counts three deliveries.
      await expect
        .poll(
          async () => (await db.webhookEvent.findMany({ where: { type: "payment_intent.payment_failed" }, orderBy: { id: "desc" }, take: 1 }))[0]?.deliveries,
          { timeout: BACKGROUND_WORK_MS },
        )
        .toBe(3);
      await expect.poll(failed, { timeout: BACKGROUND_WORK_MS }).toBe(dedupe ? 1 : 3);
    } finally {
      await stripeFaults({ webhooks: { duplicates: 0, delayMs: 0, shuffle: false } });
    }
  });
}
