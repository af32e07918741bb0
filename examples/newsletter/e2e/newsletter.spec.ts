// The kit in an app of its own: the sign-up form sent twice in each way a
// person does it (@payonce/playwright's hammers and assertions, installed from
// its tarball) makes one row with the kit (/) and two without (/without-kit);
// the JSON route answers a retry, a reused key and a concurrent request as
// the Idempotency-Key draft says.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createClient } from "@libsql/client";
import { expect, test, type Page } from "@playwright/test";
import { beforeAnyAnswer, clickTwice, expectDuplicate, expectExactlyOnce, hydrated, openBeforeHydration, pressEnterRepeatedly } from "@payonce/playwright";
import { MailService } from "./mail-service";

const db = createClient({ url: process.env.DATABASE_URL! });
const mail = new MailService();

test.beforeAll(() => mail.start(Number(process.env.MAIL_PORT)));
test.afterAll(() => mail.stop());

async function rows(email: string): Promise<number> {
  const result = await db.execute({ sql: `SELECT count(*) AS n FROM "Subscriber" WHERE "email" = ?`, args: [email] });
  return Number(result.rows[0]!.n);
}

let emails = 0;
const newEmail = (label: string) => `${label.replace(/\W+/g, "-")}-${Date.now()}-${++emails}@example.com`;

const WAYS = ["a double click", "Enter twice", "two clicks before the page hydrated"] as const;
type Way = (typeof WAYS)[number];

/**
 * Opens `path`, fills the form in and sends it twice in `way`, every submit
 * before any answer (beforeAnyAnswer); gives the address used, the posts the
 * page sent, and the function that lets the held scripts run.
 */
async function sendTwice(page: Page, path: string, way: Way) {
  const email = newEmail(way);
  const button = page.getByTestId("sign-up");
  let release = () => {};
  if (way === "two clicks before the page hydrated") {
    release = await openBeforeHydration(page, path);
  } else {
    await page.goto(path);
    await hydrated(button);
  }
  const field = page.getByLabel("E-mail");
  await field.fill(email);
  let posts = 0;
  page.on("request", (request) => void (request.method() === "POST" && posts++));
  await beforeAnyAnswer(page, () => (way === "Enter twice" ? pressEnterRepeatedly(field) : clickTwice(button)));
  return { email, posts: () => posts, release };
}

for (const way of WAYS) {
  test(`with the kit, ${way}: one row`, async ({ page }) => {
    const { email, posts, release } = await sendTwice(page, "/", way);
    await expect(page.getByRole("status")).toContainText("You are subscribed");
    // Both posts reach the server before the page hydrated (the plain HTML form has no lock), and the key makes them one;
    // after, the second submit never leaves the page, and none waits its turn (the form is not busy).
    if (way !== "two clicks before the page hydrated") await expect(page.getByTestId("sign-up")).toHaveAttribute("aria-busy", "false");
    expect(posts()).toBe(way === "two clicks before the page hydrated" ? 2 : 1);
    await expectExactlyOnce(() => rows(email));
    await expectExactlyOnce(() => mail.received.filter((m) => m.to === email).length);
    release();
  });

  test(`without the kit, ${way}: two rows`, async ({ page }) => {
    const { email, release } = await sendTwice(page, "/without-kit", way);
    expect(await expectDuplicate(() => rows(email))).toBe(2);
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
