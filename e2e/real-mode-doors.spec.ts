// With a STRIPE_SECRET_KEY (real Stripe) what shows the whole store is the
// admin's: /ledger asks for ADMIN_SECRET as /admin does, and reads our own
// records only (it listed every PaymentIntent and its charges at Stripe on
// each view, ~100 calls, for anyone); the demo's pages are gone. The instance
// never reaches Stripe here (this machine has no internet): a page that tried
// would say the payment side did not answer.
import { expect, test } from "@playwright/test";
import { instancePort, startApp, stopApp, type AppInstance } from "./app-instance";

const ADMIN_SECRET = "doors-admin-secret-0123456789";
const basic = (password: string) => `Basic ${Buffer.from(`admin:${password}`).toString("base64")}`;
let app: AppInstance;

test.beforeAll(async () => {
  app = await startApp(instancePort(111), {
    STRIPE_SECRET_KEY: "sk_test_doors_real_mode",
    STRIPE_WEBHOOK_SECRET: "whsec_doors_real_mode",
    SESSION_SECRET: "s".repeat(40),
    ADMIN_SECRET,
    PUBLIC_URL: `http://127.0.0.1:${instancePort(111)}`,
  });
});
test.afterAll(async () => {
  if (app) await stopApp(app);
});

test("real mode: /ledger asks for the admin's password, like /admin; the demo's pages are not found", async ({ request }) => {
  for (const path of ["/ledger", "/admin"]) {
    const anonymous = await request.get(`${app.base}${path}`, { maxRedirects: 0 });
    expect(anonymous.status(), path).toBe(401);
    expect(anonymous.headers()["www-authenticate"]).toContain("Basic");
    expect(anonymous.headers()["x-frame-options"]).toBe("DENY");
    expect((await request.get(`${app.base}${path}`, { headers: { Authorization: basic("wrong") } })).status(), path).toBe(401);
  }
  for (const path of ["/mail", "/lab"]) expect((await request.get(`${app.base}${path}`)).status(), path).toBe(404);
  // No link a shopper would meet the password prompt behind.
  expect(await (await request.get(`${app.base}/`)).text()).not.toContain('href="/ledger"');
});

test("real mode: neither /ledger nor /admin shows anything to an anonymous request by another door", async ({ request }) => {
  // What each page's HTML or RSC payload would carry: none of it may come back.
  const markers = { ledger: /ledger-figures|ledger-own-records/, admin: /<h1>Orders|newest 100/ };
  type Door = { label: string; url: string; method: string; headers: Record<string, string>; data?: string };
  const doors = (name: "ledger" | "admin"): Door[] => {
    const path = `/${name}`;
    const encoded = `/%${name.charCodeAt(0).toString(16).toUpperCase()}${name.slice(1)}`; // /%6Cedger, /%61dmin
    return [
      { label: `${path} with RSC: 1`, url: path, method: "GET", headers: { RSC: "1" } },
      { label: `HEAD ${path}`, url: path, method: "HEAD", headers: {} },
      { label: `${path}/`, url: `${path}/`, method: "GET", headers: {} },
      { label: `${path}/x`, url: `${path}/x`, method: "GET", headers: {} },
      { label: encoded, url: encoded, method: "GET", headers: {} },
      {
        label: `server action POST ${path}`,
        url: path,
        method: "POST",
        headers: { "Next-Action": "0".repeat(42), Origin: app.base, "Content-Type": "text/plain;charset=UTF-8", Accept: "text/x-component" },
        data: "[]",
      },
    ];
  };
  for (const name of ["ledger", "admin"] as const) {
    for (const door of doors(name)) {
      const response = await request.fetch(`${app.base}${door.url}`, { method: door.method, headers: door.headers, data: door.data });
      expect([401, 403, 404], door.label).toContain(response.status());
      expect(await response.text(), door.label).not.toMatch(markers[name]);
    }
  }
});

test("real mode: the admin's ledger shows our own records and makes no Stripe call", async ({ request }) => {
  const ledger = await request.get(`${app.base}/ledger`, { headers: { Authorization: basic(ADMIN_SECRET) } });
  expect(ledger.status()).toBe(200);
  const html = await ledger.text();
  expect(html).toContain('data-testid="ledger-own-records"');
  expect(html).not.toContain("The payment side did not answer");
});
