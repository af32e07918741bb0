// The kit in an app of its own: the sign-up form sent twice in each way a
// person does it makes one row with the kit (/) and two without (/without-kit);
// the JSON route answers a retry, a reused key and a concurrent request as
// the Idempotency-Key draft says.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createClient } from "@libsql/client";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { MailService } from "./mail-service";

const db = createClient({ url: process.env.DATABASE_URL! });
const mail = new MailService();

test.beforeAll(() => mail.start(Number(process.env.MAIL_PORT)));
test.afterAll(() => mail.stop());
// A test that failed may leave a post held by slowAnswers(): it is not the next test's.
test.afterEach(({ page }) => page.unrouteAll({ behavior: "ignoreErrors" }));

async function rows(email: string): Promise<number> {
  const result = await db.execute({ sql: `SELECT count(*) AS n FROM "Subscriber" WHERE "email" = ?`, args: [email] });
  return Number(result.rows[0]!.n);
}

let emails = 0;
const newEmail = (label: string) => `${label.replace(/\W+/g, "-")}-${Date.now()}-${++emails}@example.com`;

/** Holds the page's scripts until released: the page stays as the server rendered it, not hydrated. */
async function holdScripts(page: Page): Promise<() => void> {
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/_next\/static\/chunks\/.*\.js/, async (route) => {
    await held;
    await route.continue().catch(() => {});
  });
  return release;
}

/**
 * A slow network: each form post reaches the server at once, and its answer
 * reaches the page only once `deliver()` is called (the test calls it after
 * its second submit), so the second submit always comes before the first
 * answer. `answered`: the server's answers, each once the server has answered.
 */
async function slowAnswers(page: Page) {
  const answered: Promise<unknown>[] = [];
  let deliver = () => {};
  const delivered = new Promise<void>((resolve) => (deliver = resolve));
  await page.route("**/*", async (route) => {
    if (route.request().method() !== "POST") return route.fallback();
    const answer = route.fetch({ maxRedirects: 0 });
    answered.push(answer);
    const response = await answer;
    await delivered;
    await route.fulfill({ response }).catch(() => {});
  });
  return { answered, deliver };
}

/** Resolves once React has hydrated the element. */
async function hydrated(element: Locator) {
  await expect.poll(() => element.evaluate((el) => Object.keys(el).some((k) => k.startsWith("__reactFiber")))).toBe(true);
}

/** Two clicks at the button's place, ~100 ms apart, as a person double-clicks. */
async function clickTwice(page: Page, button: Locator) {
  const box = (await button.boundingBox())!;
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForTimeout(100);
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
}

const WAYS = ["a double click", "Enter twice", "two clicks before the page hydrated"] as const;
type Way = (typeof WAYS)[number];

/** Opens `path`, fills the form in and sends it twice in `way`; gives the address used and the server's answers. */
async function sendTwice(page: Page, path: string, way: Way) {
  const email = newEmail(way);
  const button = page.getByTestId("sign-up");
  let release = () => {};
  if (way === "two clicks before the page hydrated") {
    release = await holdScripts(page);
    await page.goto(path, { waitUntil: "domcontentloaded" });
  } else {
    await page.goto(path);
    await hydrated(button);
  }
  const field = page.getByLabel("E-mail");
  await field.fill(email);
  const { answered, deliver } = await slowAnswers(page);
  if (way === "Enter twice") {
    await field.press("Enter");
    await page.waitForTimeout(100); // a person pressing twice
    await field.press("Enter");
  } else {
    await clickTwice(page, button);
  }
  deliver();
  return { email, answered, release };
}

for (const way of WAYS) {
  test(`with the kit, ${way}: one row`, async ({ page }) => {
    const { email, answered, release } = await sendTwice(page, "/", way);
    await expect(page.getByRole("status")).toContainText("You are subscribed");
    if (way === "two clicks before the page hydrated") {
      // Both posts reached the server (the plain HTML form has no lock); the key made them one.
      expect(answered).toHaveLength(2);
    } else {
      // The second submit never left the page, and none waits its turn (the form is not busy).
      await expect(page.getByTestId("sign-up")).toHaveAttribute("aria-busy", "false");
      expect(answered).toHaveLength(1);
    }
    await Promise.all(answered);
    release();
    expect(await rows(email)).toBe(1);
    expect(mail.received.filter((m) => m.to === email)).toHaveLength(1);
  });

  test(`without the kit, ${way}: two rows`, async ({ page }) => {
    const { email, answered, release } = await sendTwice(page, "/without-kit", way);
    await expect.poll(() => rows(email)).toBe(2);
    await Promise.all(answered);
    release();
  });
}

test.describe("POST /api/subscribers", () => {
  test.beforeEach(async ({ request }) => {
    // The visitor cookie: the scope of this client's keys.
    expect((await request.get("/")).ok()).toBe(true);
  });

  const post = (request: import("@playwright/test").APIRequestContext, key: string | null, email: string) =>
    request.post("/api/subscribers", { headers: key === null ? {} : { "Idempotency-Key": key }, data: { email } });

  test("a retry with the same key gets the first answer, replayed; one row", async ({ request }) => {
    const email = newEmail("replay");
    const first = await post(request, "replay-1", email);
    expect(first.status()).toBe(201);
    expect(first.headers()["idempotent-replayed"]).toBeUndefined();
    const again = await post(request, "replay-1", email);
    expect(again.status()).toBe(201);
    expect(again.headers()["idempotent-replayed"]).toBe("true");
    expect(await again.json()).toEqual(await first.json());
    expect(await rows(email)).toBe(1);
  });

  test("the same key with another body is a 422, and writes nothing", async ({ request }) => {
    const email = newEmail("first");
    expect((await post(request, "reused-1", email)).status()).toBe(201);
    const other = newEmail("other");
    const reused = await post(request, "reused-1", other);
    expect(reused.status()).toBe(422);
    expect(reused.headers()["content-type"]).toContain("application/problem+json");
    expect(await rows(other)).toBe(0);
  });

  test("a retry while the first is running is a 409 with Retry-After; the first finishes once", async ({ request }) => {
    const email = newEmail("concurrent");
    const mailHeld = mail.holdNext();
    const first = post(request, "concurrent-1", email);
    // The first is in its foreign call (the welcome e-mail), holding the attempt's lease.
    await mailHeld.arrived;
    const second = await post(request, "concurrent-1", email);
    expect(second.status()).toBe(409);
    expect(Number(second.headers()["retry-after"])).toBeGreaterThan(0);
    mailHeld.release();
    const answer = await first;
    expect(answer.status()).toBe(201);
    const { subscriberId } = (await answer.json()) as { subscriberId: string };
    expect(await rows(email)).toBe(1);
    // The foreign call carried a key of its own, made from the subscriber.
    expect(mail.received.filter((m) => m.to === email)).toEqual([{ key: `welcome:${subscriberId}`, to: email }]);
  });

  test("without an Idempotency-Key, a 400; without the visitor cookie, a 401", async ({ request, playwright, baseURL }) => {
    expect((await post(request, null, newEmail("no-key"))).status()).toBe(400);
    const stranger = await playwright.request.newContext({ baseURL });
    expect((await post(stranger, "k", newEmail("no-cookie"))).status()).toBe(401);
    await stranger.dispose();
  });
});

test("the schema holds the kit's Attempt model as the installed kit ships it", () => {
  const model = (text: string) => text.slice(text.indexOf("model Attempt {"), text.indexOf("}", text.indexOf("model Attempt {")) + 1);
  const shipped = readFileSync(createRequire(import.meta.url).resolve("@payonce/kit/attempt.prisma"), "utf8");
  expect(model(readFileSync("prisma/schema.prisma", "utf8"))).toBe(model(shipped));
});
