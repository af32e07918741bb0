// The JSON API, without a browser: every status code of POST /api/orders.
import { randomUUID } from "node:crypto";
import { test as base, expect, type APIRequestContext, type APIResponse } from "@playwright/test";
import { db } from "../lib/db/db.server";
import { ALL_OFF } from "../lib/demo/protections";
import { saveProtections } from "../lib/demo/protections.server";
import { paymentIntentsOf, setStripeLatency, stripeFaults } from "./fixtures";
import { authenticate } from "../tests/local-stripe-control";

type Api = { token: string; post(body: unknown, key?: string | null, headers?: Record<string, string>): ReturnType<APIRequestContext["post"]> };

const test = base.extend<{ api: Api; newApi: () => Promise<Api> }>({
  newApi: async ({ request }, use) => {
    await use(async () => {
      const { token } = (await (await request.post("/api/sessions")).json()) as { token: string };
      await db.product.updateMany({ data: { stock: 1000 } });
      return {
        token,
        post: (body, key = randomUUID(), headers = {}) =>
          request.post("/api/orders", {
            data: body,
            headers: { Authorization: `Bearer ${token}`, ...(key === null ? {} : { "Idempotency-Key": key }), ...headers },
          }),
      };
    });
  },
  api: async ({ newApi }, use) => use(await newApi()),
});

/** What the API answers: an order, or a problem (RFC 9457). */
type Answer = { order: { id: string; status: string }; type: string; status: number; detail: string; errors: { pointer: string; detail: string }[] };
const read = async (response: APIResponse) => (await response.json()) as Answer;

const ORDER = { email: "api@example.com", items: [{ slug: "mug", quantity: 2 }], paymentMethod: "pm_card_visa" };
const ordersOf = (sessionId: string) => db.order.count({ where: { sessionId } });
const recordsOf = (sessionId: string) => db.attempt.count({ where: { scope: sessionId } });

test.afterEach(async () => {
  await setStripeLatency(0);
  await stripeFaults({ clearFailures: true });
});

test("sessions and the catalog", async ({ request }) => {
  const session = await request.post("/api/sessions");
  expect(session.status()).toBe(201);
  const products = (await (await request.get("/api/products")).json()) as { products: unknown[] };
  expect(products.products).toHaveLength(6);
  expect(products.products[0]).toEqual({
    id: expect.any(Number),
    slug: "mug",
    name: "Enamel Camp Mug",
    price: 1800,
    currency: "usd",
    stock: expect.any(Number),
  });
});

test("201 for a new key; the same key and payload replay the identical status and body", async ({ api }) => {
  const key = randomUUID();
  const first = await api.post(ORDER, key);
  expect(first.status()).toBe(201);
  const body = await read(first);
  expect(body.order).toMatchObject({ status: "paid", amountCents: 3600, paymentIntentId: expect.stringMatching(/^pi_/) });
  const again = await api.post(ORDER, key);
  expect(again.status()).toBe(201);
  expect(again.headers()["idempotent-replayed"]).toBe("true");
  expect(await again.text()).toBe(await first.text());
  expect(await ordersOf(api.token)).toBe(1);
});

test("the draft's quoted structured-field form of the key is the same key", async ({ api }) => {
  const key = randomUUID();
  await api.post(ORDER, key);
  const again = await api.post(ORDER, `"${key}"`);
  expect(again.headers()["idempotent-replayed"]).toBe("true");
});

test("422 for the same key with a different payload, and nothing written", async ({ api }) => {
  const key = randomUUID();
  await api.post(ORDER, key);
  const [orders, records] = [await ordersOf(api.token), await recordsOf(api.token)];
  const changed = await api.post({ ...ORDER, items: [{ slug: "mug", quantity: 3 }] }, key);
  expect(changed.status()).toBe(422);
  expect(changed.headers()["content-type"]).toContain("application/problem+json");
  expect(await read(changed)).toMatchObject({ type: "/problems/idempotency-key-reused", status: 422 });
  expect([await ordersOf(api.token), await recordsOf(api.token)]).toEqual([orders, records]);
});

test("400 for a missing or malformed key", async ({ api }) => {
  const missing = await api.post(ORDER, null);
  expect(missing.status()).toBe(400);
  expect((await read(missing)).type).toBe("/problems/idempotency-key-missing");
  for (const bad of ["k".repeat(256), "has space", "ünïcode"]) {
    const malformed = await api.post(ORDER, bad);
    expect(malformed.status()).toBe(400);
    expect((await read(malformed)).type).toBe("/problems/idempotency-key-malformed");
  }
  expect(await recordsOf(api.token)).toBe(0);
});

test("400 with field errors for an invalid body; unknown fields and client prices rejected; nothing stored", async ({ api }) => {
  for (const body of [
    { ...ORDER, email: "nope" },
    { ...ORDER, items: [] },
    { ...ORDER, items: [{ slug: "mug", quantity: 0 }] },
    { ...ORDER, items: [{ slug: "no-such-thing", quantity: 1 }] },
    { ...ORDER, paymentMethod: "pm_card_unknown" },
    { ...ORDER, amountCents: 1 },
    { ...ORDER, items: [{ slug: "mug", quantity: 1, price: 1 }] },
  ]) {
    const response = await api.post(body);
    expect(response.status(), JSON.stringify(body)).toBe(400);
    const problem = await read(response);
    expect(problem.type).toBe("/problems/invalid-body");
    expect(problem.errors.length).toBeGreaterThan(0);
  }
  // Every unknown item is named, not only the first.
  const twoUnknown = await api.post({
    ...ORDER,
    items: [
      { slug: "no-such-thing", quantity: 1 },
      { slug: "mug", quantity: 1 },
      { productId: 999_999, quantity: 1 },
    ],
  });
  expect(twoUnknown.status()).toBe(400);
  expect((await read(twoUnknown)).errors.map((e) => e.pointer)).toEqual(["/items/0", "/items/2"]);
  const notJson = await api.post("{not json", randomUUID(), { "Content-Type": "application/json" });
  expect(notJson.status()).toBe(400);
  expect([await recordsOf(api.token), await ordersOf(api.token)]).toEqual([0, 0]);
});

test("413 for a body over the size limit", async ({ api }) => {
  const response = await api.post({ ...ORDER, email: `${"a".repeat(20_000)}@example.com` });
  expect(response.status()).toBe(413);
  expect(await recordsOf(api.token)).toBe(0);
});

test("402 for a declined card, stored and replayed", async ({ api }) => {
  const key = randomUUID();
  const declined = await api.post({ ...ORDER, paymentMethod: "pm_card_chargeDeclined" }, key);
  expect(declined.status()).toBe(402);
  expect(await read(declined)).toMatchObject({ type: "/problems/card-declined", detail: "Your card was declined." });
  const again = await api.post({ ...ORDER, paymentMethod: "pm_card_chargeDeclined" }, key);
  expect(again.status()).toBe(402);
  expect(again.headers()["idempotent-replayed"]).toBe("true");
});

test("202 for a card that asks for 3-D Secure: the order awaits payment and nextAction says where to send the customer; the replay is that same first answer", async ({
  api,
  request,
}) => {
  const key = randomUUID();
  const first = await api.post({ ...ORDER, paymentMethod: "pm_card_threeDSecure2Required" }, key);
  expect(first.status()).toBe(202);
  const body = (await first.json()) as { order: { id: string; status: string; paymentIntentId: string }; nextAction: { type: string; url: string } };
  expect(body.order.status).toBe("awaiting_payment");
  expect(body.nextAction.type).toBe("redirect_to_url");

  // The customer authenticates and comes back; the order is paid.
  const back = await authenticate(body.nextAction.url, "complete");
  expect(new URL(back).pathname).toBe("/checkout/return");
  const returned = await request.get(back);
  expect(returned.status()).toBe(200);
  expect(await returned.text()).toContain("Your payment is complete.");
  const current = await request.get(`/api/orders/${body.order.id}`, { headers: { Authorization: `Bearer ${api.token}` } });
  expect(((await current.json()) as Answer).order.status).toBe("paid");

  // Stripe's rule: the key's answer is the first one, even now that the payment has finished.
  const replay = await api.post({ ...ORDER, paymentMethod: "pm_card_threeDSecure2Required" }, key);
  expect(replay.status()).toBe(202);
  expect(replay.headers()["idempotent-replayed"]).toBe("true");
  expect(await replay.json()).toEqual(body);
  const intents = await paymentIntentsOf([body.order.id]);
  expect(intents.map((pi) => pi.status)).toEqual(["succeeded"]);
  expect(await ordersOf(api.token)).toBe(1);
});

test("the return page trusts nothing in its query: an unknown or malformed PaymentIntent settles nothing", async ({ request }) => {
  for (const query of [
    "payment_intent=pi_unknown&redirect_status=succeeded",
    "payment_intent=%00&redirect_status=succeeded",
    "redirect_status=succeeded",
    "",
  ]) {
    const response = await request.get(`/checkout/return?${query}`);
    expect(response.status()).toBe(200);
    expect(await response.text()).toContain("There is no payment of ours at this address.");
  }
});

test("409 with Retry-After while the first request is still running", async ({ api }) => {
  await setStripeLatency(1_500);
  const key = randomUUID();
  const first = api.post(ORDER, key);
  await new Promise((r) => setTimeout(r, 400));
  const second = await api.post(ORDER, key);
  expect(second.status()).toBe(409);
  expect(Number(second.headers()["retry-after"])).toBeGreaterThan(0);
  expect((await first).status()).toBe(201);
});

test("502 when Stripe fails, not stored: the retry with the same key resumes and charges once", async ({ api }) => {
  await stripeFaults({ fail: { path: "/v1/payment_intents", mode: "500", count: 100 } });
  const key = randomUUID();
  const failed = await api.post(ORDER, key);
  expect(failed.status()).toBe(502);
  expect(failed.headers()["retry-after"]).toBeDefined();
  await stripeFaults({ clearFailures: true });
  const retry = await api.post(ORDER, key);
  expect(retry.status()).toBe(201);
  expect(retry.headers()["idempotent-replayed"]).toBeUndefined();
  expect(await ordersOf(api.token)).toBe(1);
});

test("401 for an unknown token; other sessions' orders are 404; keys never cross sessions", async ({ api, newApi, request }) => {
  const unknown = await request.post("/api/orders", { data: ORDER, headers: { Authorization: "Bearer not-a-real-token-0123456789", "Idempotency-Key": "k" } });
  expect(unknown.status()).toBe(401);

  const key = randomUUID();
  const mine = await read(await api.post(ORDER, key));
  const other = await newApi();
  const theirs = await other.post(ORDER, key);
  expect(theirs.status()).toBe(201);
  expect(theirs.headers()["idempotent-replayed"]).toBeUndefined();
  expect((await read(theirs)).order.id).not.toBe(mine.order.id);

  const own = await request.get(`/api/orders/${mine.order.id}`, { headers: { Authorization: `Bearer ${api.token}` } });
  expect(own.status()).toBe(200);
  const foreign = await request.get(`/api/orders/${mine.order.id}`, { headers: { Authorization: `Bearer ${other.token}` } });
  expect(foreign.status()).toBe(404);
});

test("a key past its retention starts a new attempt", async ({ api }) => {
  const key = randomUUID();
  await api.post(ORDER, key);
  await db.attempt.updateMany({ where: { scope: api.token, key }, data: { expiresAt: new Date(Date.now() - 1000) } });
  const again = await api.post(ORDER, key);
  expect(again.status()).toBe(201);
  expect(again.headers()["idempotent-replayed"]).toBeUndefined();
  expect(await ordersOf(api.token)).toBe(2);
});

for (const mode of ["protected", "unprotected"] as const) {
  test(`200 concurrent identical requests (${mode}) → ${mode === "protected" ? "one order, one charge, no 5xx" : "duplicates"}`, async ({ api }) => {
    test.setTimeout(120_000);
    if (mode === "unprotected") await saveProtections(api.token, ALL_OFF);
    await setStripeLatency(200);
    const key = randomUUID();
    const responses = await Promise.all(Array.from({ length: 200 }, () => api.post(ORDER, key)));
    const statuses = responses.map((r) => r.status());
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    const orders = await db.order.findMany({ where: { sessionId: api.token } });
    if (mode === "unprotected") {
      expect(orders.length).toBeGreaterThan(1);
      return;
    }
    expect(orders).toHaveLength(1);
    const created = responses.filter((r) => r.status() === 201 && !r.headers()["idempotent-replayed"]);
    expect(created).toHaveLength(1);
    for (const r of responses) {
      expect(r.status() === 409 || r.headers()["idempotent-replayed"] === "true" || r === created[0]).toBe(true);
    }
  });
}
