// What a hostile or careless client can send: every answer is a clear 4xx
// (problem+json under /api/), nothing is written, and no session can be
// chosen by the client. Each of these was a 500, a page, or a success before.
import { randomUUID } from "node:crypto";
import http from "node:http";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { db } from "../lib/db/db.server";
import { SESSION_COOKIE, sessionIdFromCookie } from "../lib/sessions/session-cookie.server";
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
  expect(await db.attempt.count({ where: { scope: token } })).toBe(0);
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
  expect(await db.attempt.count({ where: { scope: await shopper.sessionId() } })).toBe(0);
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

/**
 * POSTs a body of `total` bytes chunked (no Content-Length), 64 KiB at a time
 * and a little slowly, as a hostile client streams one: how much it had sent
 * when the answer came tells how far the server read. A client that `ignores`
 * the answer sends on until the server closes the connection.
 */
async function streamBody(path: string, total: number, headers: Record<string, string> = {}, ignoresAnswer = false) {
  const { port } = new URL(test.info().project.use.baseURL!);
  const chunk = Buffer.alloc(64 * 1024, "a");
  const request = http.request({ host: "127.0.0.1", port, path, method: "POST", headers: { "Content-Type": "application/json", ...headers } });
  let sent = 0;
  let answered = false;
  let closed = false;
  // An error after the answer (the server closing the connection) is the point, not a failure.
  request.on("error", () => (closed = true));
  request.on("close", () => (closed = true));
  const answer = new Promise<{ status: number; type: string | undefined; body: string; sentBefore: number }>((resolve) => {
    request.on("response", (response) => {
      answered = true;
      const sentBefore = sent;
      let body = "";
      response.on("data", (d: Buffer) => (body += d));
      response.on("end", () => resolve({ status: response.statusCode!, type: response.headers["content-type"], body, sentBefore }));
    });
  });
  // A client that ignores the answer gives up after 15 s of the server neither reading nor closing.
  const deadline = Date.now() + 15_000;
  while (!closed && sent < total && (ignoresAnswer || !answered) && Date.now() < deadline) {
    if (request.write(chunk)) sent += chunk.length;
    else await new Promise((r) => setTimeout(r, 50)); // the server is not reading: wait, and look again
    await new Promise((r) => setTimeout(r, 1));
  }
  const result = await answer;
  const closedByServer = closed;
  request.destroy();
  return { ...result, sentInAll: sent, closedByServer };
}

test("a body streamed without Content-Length is refused at its limit (413 problem), long before the client has sent it all", async ({ request }) => {
  const token = await newToken(request);
  const total = 64 * 1024 * 1024;
  const api = await streamBody("/api/orders", total, { Authorization: `Bearer ${token}`, "Idempotency-Key": randomUUID() });
  const webhook = await streamBody("/api/webhooks/stripe", total, { "Stripe-Signature": "t=1,v1=00" });
  for (const [what, answer, limit] of [
    ["API", api, 16 * 1024],
    ["webhook", webhook, 1024 * 1024],
  ] as const) {
    expect(answer.status, what).toBe(413);
    expect(answer.type, what).toBe("application/problem+json");
    expect(JSON.parse(answer.body), what).toMatchObject({ type: "/problems/body-too-large", status: 413 });
    // What the socket buffers took in flight, on top of the limit: a few MiB at most, never the 64 MiB.
    expect(answer.sentBefore, what).toBeLessThan(limit + 8 * 1024 * 1024);
  }
  expect(await db.attempt.count({ where: { scope: token } })).toBe(0);
});

test("a client that sends on after its answer is cut off, also where the route reads no body at all", async ({ request }) => {
  const token = await newToken(request);
  const total = 64 * 1024 * 1024;
  const answers = {
    "POST /api/sessions (reads no body)": await streamBody("/api/sessions", total, {}, true),
    "POST /api/orders": await streamBody("/api/orders", total, { Authorization: `Bearer ${token}`, "Idempotency-Key": randomUUID() }, true),
  };
  for (const [what, answer] of Object.entries(answers)) {
    expect(answer.status, what).toBeLessThan(500);
    expect(answer.sentInAll, what).toBeLessThan(16 * 1024 * 1024);
    // Before: the connection stayed open, the unread body stuck in it, as long as the client kept it.
    expect(answer.closedByServer, what).toBe(true);
  }
});
