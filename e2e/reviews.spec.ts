// A review of a paid order's product, submitted twice (two clicks ~100 ms
// apart, or Enter twice): one review when protected; without the UI guard,
// the attempt key and the unique business key, the duplicate is saved.
import { db } from "../lib/db.server";
import type { Page } from "@playwright/test";
import { expect, holdScripts, MODES, test, type Shopper } from "./fixtures";

/** A paid order of one mug for this shopper; returns its id, with the order page open. */
async function paidOrder(shopper: Shopper): Promise<string> {
  await shopper.addToCart("mug");
  await shopper.fillPayment();
  await shopper.clickPay(1);
  await expect(shopper.page).toHaveURL(/\/orders\//);
  await expect(shopper.page.getByTestId("order-status")).toHaveText("Paid");
  return shopper.page.url().split("/").pop()!;
}

/**
 * A slow network: each form post (the plain form's, or the server action's
 * before hydration) reaches the server at once and its answer 300 ms later,
 * so a second submit comes before it.
 */
async function slowAnswers(page: Page) {
  await page.route(/\/orders\/[^/?]+(\/review)?$/, async (route) => {
    if (route.request().method() !== "POST") return route.continue();
    const response = await route.fetch({ maxRedirects: 0 });
    await new Promise((r) => setTimeout(r, 300));
    await route.fulfill({ response }).catch(() => {});
  });
}

/** The order's reviews once every request the page sent has been answered (the count holds still). */
async function reviewsOf(orderId: string) {
  let last = -1;
  for (let i = 0; i < 20; i++) {
    const count = await db.review.count({ where: { orderId } });
    if (count > 0 && count === last) return count;
    last = count;
    await new Promise((r) => setTimeout(r, 400));
  }
  return last;
}

for (const mode of MODES) {
  const expected = mode === "protected" ? "one review" : "a duplicate review";

  test(`${mode}: a review sent with two clicks ~100 ms apart → ${expected}`, async ({ shopper, page }) => {
    await shopper.start(mode);
    const orderId = await paidOrder(shopper);
    const mug = await db.product.findUniqueOrThrow({ where: { slug: "mug" } });
    await page.getByLabel("Your review").fill("Holds tea, keeps it hot.");
    await slowAnswers(page);
    const box = (await page.getByTestId(`review-${mug.id}`).boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForTimeout(100);
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await expect(page.getByTestId("review").first()).toBeVisible();
    const count = await reviewsOf(orderId);
    if (mode === "protected") expect(count).toBe(1);
    else expect(count).toBeGreaterThan(1);
  });

  test(`${mode}: a review sent with Enter twice → ${expected}`, async ({ shopper, page }) => {
    await shopper.start(mode);
    const orderId = await paidOrder(shopper);
    const mug = await db.product.findUniqueOrThrow({ where: { slug: "mug" } });
    await page.getByLabel("Your review").fill("Sturdy.");
    await slowAnswers(page);
    await page.getByTestId(`review-${mug.id}`).focus();
    await page.keyboard.press("Enter");
    await page.waitForTimeout(100); // a person pressing twice
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("review").first()).toBeVisible();
    const count = await reviewsOf(orderId);
    if (mode === "protected") expect(count).toBe(1);
    else expect(count).toBeGreaterThan(1);
  });
}

test("a review without words gets a field error and saves nothing", async ({ shopper, page }) => {
  await shopper.start("protected");
  const orderId = await paidOrder(shopper);
  const mug = await db.product.findUniqueOrThrow({ where: { slug: "mug" } });
  await page.getByTestId(`review-${mug.id}`).click();
  await expect(page.getByText("Write a few words (3 characters at least).")).toBeVisible();
  expect(await db.review.count({ where: { orderId } })).toBe(0);
});

for (const mode of MODES) {
  test(`${mode}: a review sent with two clicks before the page hydrated → ${mode === "protected" ? "one review" : "a duplicate review"}`, async ({
    shopper,
    page,
  }) => {
    await shopper.start(mode);
    const orderId = await paidOrder(shopper);
    const mug = await db.product.findUniqueOrThrow({ where: { slug: "mug" } });
    // Hold every script back: the form is plain server-rendered HTML, protected by the server's key only.
    const releaseScripts = await holdScripts(page);
    await page.goto(`/orders/${orderId}`, { waitUntil: "domcontentloaded" });
    await page.getByLabel("Your review").fill("Good before the scripts, too.");
    await slowAnswers(page);
    const box = (await page.getByTestId(`review-${mug.id}`).boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForTimeout(100);
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    const count = await reviewsOf(orderId);
    releaseScripts();
    if (mode === "protected") expect(count).toBe(1);
    else expect(count).toBeGreaterThan(1);
  });
}
