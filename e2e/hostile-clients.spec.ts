// What a hostile or careless client can send: every answer is a clear 4xx
// (problem+json under /api/), nothing is written, and no session can be
// chosen by the client. Each of these was a 500, a page, or a success before.
import { randomUUID } from "node:crypto";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { db } from "../lib/db.server";
import { SESSION_COOKIE, sessionIdFromCookie } from "../lib/session-cookie.server";
import { Shopper } from "./fixtures";

const newToken = async (request: APIRequestContext) => ((await (await request.post("/api/sessions")).json()) as { token: string }).token;

async function expectProblem(response: Awaited<ReturnType<APIRequestContext["get"]>>, status: number) {
  expect(response.status()).toBe(status);
  expect(response.headers()["content-type"]).toBe("application/problem+json");
  expect(((await response.json()) as { status: number }).status).toBe(status);
}

const ROUTES: [string, string[]][] = [
  ["/api/orders", ["POST"]],
  ["/api/orders/abc", ["GET"]],
  ["/api/sessions", ["POST"]],
  ["/api/products", ["GET"]],
  ["/api/webhooks/stripe", ["POST"]],
  ["/api/openapi.json", ["GET"]],
];

test("a method a route does not serve is a 405 problem with Allow", async ({ request }) => {
  for (const [path, allowed] of ROUTES) {
    for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"].filter((m) => !allowed.includes(m))) {
      const response = await request.fetch(path, { method });
      await expectProblem(response, 405);
      expect(response.headers().allow, `${method} ${path}`).toBe(allowed.join(", "));
    }
  }
});

test("an unknown path under /api/ is a 404 problem, for any method", async ({ request }) => {
  for (const method of ["GET", "POST", "DELETE"]) await expectProblem(await request.fetch("/api/no/such/thing", { method }), 404);
});

test("integers past 32 bits and NUL bytes are 400s (PostgreSQL would refuse them with a 500), and write nothing", async ({ request }) => {
  const token = await newToken(request);
  const order = (items: unknown, email = "hostile@example.com") => ({ email, items, paymentMethod: "pm_card_visa" });
  for (const body of [
    order([{ productId: 2 ** 31, quantity: 1 }]),
    order([{ productId: 99_999_999_999, quantity: 1 }]),
    order([{ slug: "mu\u0000g", quantity: 1 }]),
    order([{ slug: "mug", quantity: 1 }], "hostile\u0000@example.com"),
  ]) {
    const response = await request.post("/api/orders", { data: body, headers: { Authorization: `Bearer ${token}`, "Idempotency-Key": randomUUID() } });
    await expectProblem(response, 400);
  }
  expect(await db.attempt.count({ where: { sessionId: token } })).toBe(0);
  await expectProblem(await request.get("/api/orders/ab%00cd", { headers: { Authorization: `Bearer ${token}` } }), 404);
  expect((await request.get("/orders/ab%00cd")).status()).toBe(404);
});

test("a form or server action posted from another site is a 403, and nothing happens", async ({ page, request }) => {
  const shopper = new Shopper(page);
  await shopper.start("protected");
  const cookie = `${SESSION_COOKIE}=${(await page.context().cookies()).find((c) => c.name === SESSION_COOKIE)!.value}`;
  const fromElsewhere = { Origin: "https://evil.example", Cookie: cookie };
  const form = await request.post("/checkout/submit", { form: { cartId: "x", email: "e@example.com" }, headers: fromElsewhere, maxRedirects: 0 });
  expect(form.status()).toBe(403);
  expect(await form.text()).toContain("sent from another site");
  const action = await request.post("/checkout", { headers: { ...fromElsewhere, "Next-Action": "0".repeat(42), "Content-Type": "text/plain" }, data: "[]" });
  expect(action.status()).toBe(403);
  expect(await db.attempt.count({ where: { sessionId: await shopper.sessionId() } })).toBe(0);
});

test("a session id the client chose, or an API token as a cookie, is replaced by one the server mints", async ({ browser, request }) => {
  const chosen = "AttackerChoseThisSessionId42";
  const token = await newToken(request);
  const baseURL = test.info().project.use.baseURL!;
  for (const value of [chosen, token, `${chosen}.forgedsignature`]) {
    const context = await browser.newContext({ baseURL });
    await context.addCookies([{ name: SESSION_COOKIE, value, url: baseURL }]);
    const page = await context.newPage();
    const shopper = new Shopper(page);
    await shopper.addToCart();
    const minted = (await context.cookies()).find((c) => c.name === SESSION_COOKIE)!.value;
    expect(minted).not.toBe(value);
    const id = sessionIdFromCookie(minted);
    expect(id).not.toBeNull();
    expect(await db.cart.count({ where: { sessionId: id! } })).toBe(1);
    await context.close();
  }
  expect(await db.session.findUnique({ where: { id: chosen } })).toBeNull();
  expect(await db.cart.count({ where: { sessionId: token } })).toBe(0);
  // Nor does the API take its token as a cookie.
  await expectProblem(await request.get("/api/orders/abc", { headers: { Cookie: `${SESSION_COOKIE}=${token}` } }), 401);
});

test("/mail shows this visitor's mail only", async ({ browser }) => {
  const baseURL = test.info().project.use.baseURL!;
  const visitors = await Promise.all([0, 1].map(async () => new Shopper(await (await browser.newContext({ baseURL })).newPage())));
  const [alice, bob] = visitors as [Shopper, Shopper];
  for (const shopper of visitors) await shopper.start("protected");
  const cart = await db.cart.create({ data: { sessionId: await alice.sessionId() } });
  const order = await db.order.create({
    data: { sessionId: await alice.sessionId(), cartId: cart.id, checkoutKey: cart.id, email: "alice@example.com", amountCents: 1800, currency: "usd" },
  });
  await db.outboxEmail.create({
    data: {
      key: `${order.id}:confirmation`,
      orderId: order.id,
      kind: "confirmation",
      to: "alice@example.com",
      subject: `Alice's order ${order.id}`,
      body: "private",
    },
  });
  await alice.page.goto("/mail");
  await expect(alice.page.getByTestId("mail").filter({ hasText: order.id })).toHaveCount(1);
  await bob.page.goto("/mail");
  await expect(bob.page.getByText("None yet.")).toBeVisible();
  await expect(bob.page.getByText(order.id)).toHaveCount(0);
});
