// What one client can take: new API sessions per address (429 with
// Retry-After), new browser sessions per address (the first write refused,
// pages still shown), and units held in unpaid orders per session and per
// address (a 429 problem, nothing written; an order past them by itself is a
// 400: it could never pass), on app instances with the shop's default
// limits (the suite's own app raises them: its tests are one address making
// many customers). Before issue 25, 20 calls made 20 sessions and one token
// could hold a product's whole stock unpaid.
import { randomUUID } from "node:crypto";
import { db } from "../lib/db/db.server";
import { SESSION_COOKIE, sessionIdFromCookie } from "../lib/sessions/session-cookie.server";
import { instancePort, startApp, stopApp, type AppInstance } from "./app-instance";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";

let direct: AppInstance; // TRUSTED_PROXY_HOPS=0, the default: the address is the TCP peer's
let proxied: AppInstance; // TRUSTED_PROXY_HOPS=1: behind one proxy, which appends the client to X-Forwarded-For
// The shop's defaults (the suite's environment raises them).
const DEFAULTS = { API_SESSIONS_PER_HOUR: "10", HOLD_UNITS_PER_SESSION: "10", HOLD_UNITS_PER_ADDRESS: "20" };
// New browser sessions: 2 an hour on `direct` (the default, 300, is many visitors to make).
const BROWSER_SESSIONS_PER_HOUR = 2;
test.beforeAll(async () => {
  [direct, proxied] = await Promise.all([
    startApp(instancePort(150), { ...DEFAULTS, BROWSER_SESSIONS_PER_HOUR: String(BROWSER_SESSIONS_PER_HOUR) }),
    startApp(instancePort(151), { ...DEFAULTS, TRUSTED_PROXY_HOPS: "1" }),
  ]);
});
test.afterAll(async () => Promise.all([stopApp(direct), stopApp(proxied)]));

/**
 * Runs `body` (which starts from zero counts) inside one hourly window of the
 * app's limits: if a window boundary passed while it ran, its counts were
 * split between two windows, so a failure then says nothing and it runs again,
 * in the new window (a second boundary within one run would take an hour).
 */
async function withinOneHourWindow(body: () => Promise<void>): Promise<void> {
  const windowOf = () => Math.floor(Date.now() / 3600_000);
  for (;;) {
    const start = windowOf();
    try {
      await body();
      return;
    } catch (error) {
      if (windowOf() === start) throw error;
    }
  }
}

const newSession = (app: AppInstance, forwardedFor?: string) =>
  fetch(`${app.base}/api/sessions`, { method: "POST", headers: forwardedFor ? { "X-Forwarded-For": forwardedFor } : {} });

test("new API sessions are limited per address (10 an hour); an X-Forwarded-For the client sends changes nothing", () =>
  withinOneHourWindow(async () => {
    await db.rateCount.deleteMany({ where: { key: { startsWith: "api-sessions:" } } });
    const before = await db.session.count();
    // Each call claims to come from elsewhere: without a trusted proxy that is ignored.
    const answers = [];
    for (let n = 0; n < 12; n++) {
      const headers = { "X-Forwarded-For": `198.51.100.${n}`, "X-Payonce-Peer": `198.51.100.${n}` };
      answers.push(await fetch(`${direct.base}/api/sessions`, { method: "POST", headers }));
    }
    expect(answers.map((a) => a.status)).toEqual([...Array(10).fill(201), 429, 429]);
    const refused = answers[10]!;
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ type: "/problems/too-many-requests", status: 429 });
    expect(await db.session.count()).toBe(before + 10);
    // Counted under the TCP peer's address, as the server stamped it (not the one shared by requests it could not stamp).
    const counters = await db.rateCount.findMany({ where: { key: { startsWith: "api-sessions:" } }, select: { key: true } });
    expect(counters.map((c) => c.key.replace(/:\d+$/, ""))).toEqual(["api-sessions:127.0.0.1"]);
  }));

test("new browser sessions are limited per address: past the limit pages still show, and a new visitor's first write is refused and stores nothing", ({
  browser,
}) =>
  withinOneHourWindow(async () => {
    await db.rateCount.deleteMany({ where: { key: { startsWith: "browser-sessions:" } } });
    await db.product.update({ where: { slug: "mug" }, data: { stock: 500 } });
    const visitors = await Promise.all(Array.from({ length: BROWSER_SESSIONS_PER_HOUR + 1 }, () => browser.newContext({ baseURL: direct.base })));
    try {
      const addMug = async (page: Page) => {
        await page.goto("/");
        await page
          .getByTestId("product-mug")
          .getByRole("button", { name: /add .* to cart/i })
          .click();
      };
      const pages = await Promise.all(visitors.map((v) => v.newPage()));
      for (const page of pages.slice(0, -1)) {
        await addMug(page);
        await expect(page).toHaveURL(/\/checkout$/);
      }
      const late = pages.at(-1)!;
      await addMug(late);
      await expect(late.getByTestId("product-mug").getByRole("alert")).toContainText(/try again in \d+ minutes?/);
      const sessionId = sessionIdFromCookie((await late.context().cookies()).find((c) => c.name === SESSION_COOKIE)?.value)!;
      expect(await db.session.count({ where: { id: sessionId } })).toBe(0);
      expect((await late.goto("/checkout"))?.status()).toBe(200);
      await expect(late.getByText("Your cart is empty")).toBeVisible();
      // A visitor whose session exists goes on.
      await addMug(pages[0]!);
      await expect(pages[0]!).toHaveURL(/\/checkout$/);
      await expect(pages[0]!.getByTestId("pay")).toHaveText(/Pay \$/);
    } finally {
      await Promise.all(visitors.map((v) => v.close()));
    }
  }));

test("behind a trusted proxy (TRUSTED_PROXY_HOPS=1) each client address has its own allowance", () =>
  withinOneHourWindow(async () => {
    const [a, b] = [`203.0.113.${Math.floor(Math.random() * 250)}`, `2001:db8::${randomUUID().slice(0, 4)}`];
    const statuses = async (address: string) => {
      const all = [];
      for (let n = 0; n < 11; n++) all.push((await newSession(proxied, `10.9.9.9, ${address}`)).status);
      return all;
    };
    expect(await statuses(a)).toEqual([...Array(10).fill(201), 429]);
    expect(await statuses(b)).toEqual([...Array(10).fill(201), 429]);
  }));

test("units held unpaid are bounded per session (10) and per address (20): the stock cannot be taken by one client", async () => {
  await db.product.update({ where: { slug: "bottle" }, data: { stock: 25 } });
  const address = `192.0.2.${Math.floor(Math.random() * 250)}`;
  const headers = { "X-Forwarded-For": address };
  const token = async () => ((await (await newSession(proxied, address)).json()) as { token: string }).token;
  const order = (token: string, quantity: number, more: { slug: string; quantity: number }[] = []) =>
    fetch(`${proxied.base}/api/orders`, {
      method: "POST",
      headers: { ...headers, Authorization: `Bearer ${token}`, "Idempotency-Key": randomUUID(), "Content-Type": "application/json" },
      // 3-D Secure, never completed: the order waits for payment and holds its units.
      body: JSON.stringify({ email: "hold@example.com", items: [{ slug: "bottle", quantity }, ...more], paymentMethod: "pm_card_threeDSecure2Required" }),
    });

  const first = await token();
  // One order past what a session may hold could never pass: bad input, not "later".
  const tooLarge = await order(first, 10, [{ slug: "mug", quantity: 1 }]);
  expect(tooLarge.status).toBe(400);
  expect(tooLarge.headers.get("retry-after")).toBeNull();
  expect(await tooLarge.json()).toMatchObject({
    type: "/problems/invalid-body",
    errors: [{ pointer: "/items", detail: expect.stringMatching(/at most 10 items/) }],
  });
  expect((await order(first, 10)).status).toBe(202);
  const overSession = await order(first, 10);
  expect(overSession.status).toBe(429);
  expect(overSession.headers.get("content-type")).toBe("application/problem+json");
  expect(Number(overSession.headers.get("retry-after"))).toBeGreaterThan(0);
  expect(await overSession.json()).toMatchObject({ type: "/problems/hold-limit", status: 429 });

  const second = await token();
  expect((await order(second, 10)).status).toBe(202);
  const third = await token();
  const overAddress = await order(third, 5);
  expect(overAddress.status).toBe(429);
  expect(await overAddress.json()).toMatchObject({ type: "/problems/hold-limit" });

  // Nothing written for the refusals: no order, no attempt; and the rest of the stock is there for others.
  expect(await db.order.count({ where: { sessionId: { in: [first, second, third] } } })).toBe(2);
  expect(await db.attempt.count({ where: { scope: { in: [first, third] } } })).toBe(1);
  expect((await db.product.findUniqueOrThrow({ where: { slug: "bottle" } })).stock).toBe(5);
});

test("the Pay form: a cart past what one session may hold unpaid is refused with a field error, and nothing is written", async ({ page }) => {
  await db.product.updateMany({ where: { slug: { in: ["mug", "bottle"] } }, data: { stock: 500 } });
  await page.setExtraHTTPHeaders({ "X-Forwarded-For": `192.0.2.${Math.floor(Math.random() * 250)}` });
  await page.goto(`${proxied.base}/`);
  for (const slug of ["mug", "bottle"]) {
    await page.goto(`${proxied.base}/`);
    await page
      .getByTestId(`product-${slug}`)
      .getByRole("button", { name: /add .* to cart/i })
      .click();
    await expect(page).toHaveURL(/\/checkout$/);
  }
  // 10 mugs and a bottle: 11 units, one more than a session may hold.
  await page.getByLabel("Quantity of Enamel Camp Mug").fill("10");
  await page.getByLabel("Quantity of Enamel Camp Mug").locator("xpath=..").getByRole("button", { name: "Update" }).click();
  await expect(page.getByTestId("pay")).toHaveText(/Pay \$212\.00/);
  await page.getByLabel("E-mail for the receipt").fill("hold-form@example.com");
  await page.getByTestId("pay").click();
  await expect(page.locator("#pay-status")).toContainText("Check the highlighted fields");
  await expect(page.locator(".field-error")).toContainText("One order may have at most 10 items");
  const sessionId = sessionIdFromCookie((await page.context().cookies()).find((c) => c.name === SESSION_COOKIE)?.value)!;
  expect(await db.order.count({ where: { sessionId } })).toBe(0);
  expect(await db.attempt.count({ where: { scope: sessionId } })).toBe(0);
});
