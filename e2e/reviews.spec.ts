// A review of a paid order's product, sent twice: one review when protected;
// without the UI guard, the attempt key and the unique business key, the
// duplicate is saved.
import { db } from "../lib/db/db.server";
import { hydrated } from "@payonce/playwright";
import { doubleSubmitStories } from "./double-submit";
import { expect, test } from "./fixtures";

let orderId = "";
let mugId = 0;

doubleSubmitStories("review", {
  async setUp(shopper, mode) {
    await shopper.start(mode);
    orderId = await shopper.paidOrder();
    mugId = (await db.product.findUniqueOrThrow({ where: { slug: "mug" } })).id;
    return `/orders/${orderId}`;
  },
  fill: (page) => page.getByLabel("Your review").fill("Holds tea, keeps it hot."),
  get button() {
    return `review-${mugId}`;
  },
  count: () => db.review.count({ where: { orderId } }),
  one: "one review",
  duplicate: "a duplicate review",
});

test("a review without words gets a field error and saves nothing", async ({ shopper, page }) => {
  await shopper.start("protected");
  const id = await shopper.paidOrder();
  const mug = await db.product.findUniqueOrThrow({ where: { slug: "mug" } });
  await hydrated(page.getByTestId(`review-${mug.id}`));
  await page.getByTestId(`review-${mug.id}`).click();
  await expect(page.getByText("Write a few words (3 characters at least).")).toBeVisible();
  expect(await db.review.count({ where: { orderId: id } })).toBe(0);
});
