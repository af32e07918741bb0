// Every response carries the security headers (lib/http/security-headers.ts): no
// site may frame a page (the admin's Refund cannot be clickjacked), nothing is
// sniffed, and each page's Content-Security-Policy lets only its own scripts
// run, with a nonce of its own. The pages must still pass with it: no
// violation in the console, and they hydrate (the Pay button's UI guard works).
import { expect, setStripeLatency, test, watchConsole } from "./fixtures";
import type { APIResponse } from "@playwright/test";

function expectSecured(response: APIResponse | { headers(): Record<string, string> }) {
  const headers = response.headers();
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  return headers["content-security-policy"]!;
}

test("the admin, the API (an answer and a problem) and a product image carry the security headers", async ({ request }) => {
  const admin = await request.get("/admin");
  expect(admin.status()).toBe(200);
  expect(expectSecured(admin)).toMatch(/script-src 'self' 'nonce-[\w+/=]{20,}' 'strict-dynamic'/);
  expect(expectSecured(await request.get("/api/products"))).toContain("default-src 'none'");
  const problem = await request.post("/api/orders", { data: "{", headers: { "Content-Type": "application/json" } });
  expect(problem.status()).toBeGreaterThanOrEqual(400);
  expect(expectSecured(problem)).toContain("default-src 'none'");
  expect(expectSecured(await request.get("/products/mug.svg"))).toContain("default-src 'none'");
});

test("Next's own files and a path with no page carry them too", async ({ request }) => {
  const html = await (await request.get("/")).text();
  const chunk = /src="(\/_next\/static\/[^"]+\.js)"/.exec(html)?.[1];
  expect(chunk).toBeDefined();
  const script = await request.get(chunk!);
  expect(script.status()).toBe(200);
  expect(expectSecured(script)).toContain("default-src 'none'");
  const missing = await request.get("/favicon.ico"); // the browser asks; there is none
  expect(missing.status()).toBe(404);
  expectSecured(missing);
});

test("each page view gets a nonce of its own, and the page's scripts carry it", async ({ request }) => {
  const nonceOf = (csp: string) => /'nonce-([^']+)'/.exec(csp)?.[1];
  const [first, second] = [await request.get("/"), await request.get("/")];
  const nonce = nonceOf(expectSecured(first))!;
  expect(nonce).not.toBe(nonceOf(expectSecured(second)));
  const html = await first.text();
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const script of scripts) expect(script).toContain(`nonce="${nonce}"`);
});

test("the main pages log no CSP violation and hydrate: three clicks on Pay send one request", async ({ shopper, page }) => {
  const problems = watchConsole(page);
  await shopper.start("protected");
  for (const path of ["/account", "/admin", "/lab"]) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
  }
  await shopper.addToCart();
  await shopper.fillPayment();
  await setStripeLatency(300);
  // The clicks are counted from hydration on (a loaded machine can click before it).
  await expect(page.locator("html[data-counting-pay-clicks]")).toBeAttached();
  await shopper.clickPay(3, 50);
  await expect(page).toHaveURL(/\/orders\//);
  await setStripeLatency(0);
  await page.goto("/ledger");
  await expect(page.getByTestId("story-requests")).toHaveText("1");
  // The clicks the UI guard kept in the browser: counted there, so only a hydrated page shows them.
  await expect(page.getByTestId("caught-uiGuard").locator("td.num")).toHaveText("2");
  await page.waitForLoadState("networkidle");
  expect(problems).toEqual([]);
});
