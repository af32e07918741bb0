// The lab holds its promises: each story, set up from its button as a person
// would, with the clicks it asks for, ends with the ledger showing exactly
// the figures the story promised (lib/demo/stories.ts).
import { db } from "../lib/db.server";
import { STORIES, storyLine } from "../lib/demo/stories";
import { expect, stripeFaults, test } from "./fixtures";

test.afterEach(() => stripeFaults({ clearFailures: true, latencyMs: 0, webhooks: { duplicates: 0, delayMs: 0, shuffle: false } }));

for (const story of STORIES) {
  const { requests, orders, paymentIntents, charges } = story.promise;
  test(`lab story "${story.title}": ${storyLine(story)}`, async ({ shopper, page }) => {
    await page.goto("/lab");
    await page.getByRole("button", { name: `Start the story: ${story.title}` }).click();
    await expect(page.getByTestId("current-story")).toContainText(story.title);
    await page.getByRole("button", { name: "Put the mug in the cart and go to the checkout" }).click();
    await expect(page).toHaveURL(/\/checkout$/);
    await shopper.fillPayment();
    await shopper.clickPay(story.clicks);
    // The server's truth first (every request answered), then the ledger as the person reads it, in this tab.
    await expect
      .poll(
        async () => {
          const truth = await shopper.truth();
          return [truth.orders.length, truth.paymentIntents.length, truth.succeededCharges];
        },
        { timeout: 30_000 },
      )
      .toEqual([orders, paymentIntents, charges]);
    await page.waitForURL(/\/orders\/|\/checkout/);
    const figure = (id: string) => page.getByTestId(`story-${id}`).innerText();
    await expect
      .poll(
        async () => {
          await page.goto("/ledger");
          return Promise.all(["clicks", "requests", "orders", "paymentIntents", "charges"].map(figure));
        },
        { timeout: 15_000 },
      )
      .toEqual([story.clicks, requests, orders, paymentIntents, charges].map(String));
    for (const [layer, count] of Object.entries(story.caught ?? {}))
      await expect(page.getByTestId(`caught-${layer}`).locator("td.num")).toHaveText(String(count));
  });
}

test("the lab's reset starts from zero: no orders, no PaymentIntents, the units back in stock", async ({ shopper, page }) => {
  await shopper.start("protected");
  await shopper.paidOrder(); // addToCart sets the mug's stock to 500 first
  expect((await db.product.findUniqueOrThrow({ where: { slug: "mug" } })).stock).toBe(499);
  await page.goto("/lab");
  await page.getByRole("button", { name: "Reset" }).click();
  await expect(page.getByText("Started over")).toBeVisible();
  expect((await shopper.truth()).orders).toHaveLength(0);
  expect((await db.product.findUniqueOrThrow({ where: { slug: "mug" } })).stock).toBe(500);
  await page.goto("/ledger");
  for (const id of ["requests", "orders", "paymentIntents", "charges"]) await expect(page.getByTestId(`story-${id}`)).toHaveText("0");
});
