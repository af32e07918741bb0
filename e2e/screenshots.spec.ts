// The pictures in the README, taken from a real run: the checkout, the ledger
// after ten clicks, the lab, the ledger after a lab story, an attempt as a
// sequence diagram, and the scenarios report (after `npm run scenarios`).
// `npm run screenshots` only (playwright.config.ts): they rewrite docs/images/.
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { storyById } from "../lib/demo/stories";
import { BACKGROUND_WORK_MS, timeoutForBackgroundWaits } from "./background-work";
import { expect, startWorker, stripeFaults, test } from "./fixtures";

// The checkout settled, then the diagram's webhooks and worker steps: two waits on background work.
test.describe.configure({ timeout: timeoutForBackgroundWaits(2) });

test.afterEach(() => stripeFaults({ clearFailures: true, latencyMs: 0 }));

test("README screenshots: the checkout and the ledger after ten clicks on Pay", async ({ shopper, page }) => {
  await page.setViewportSize({ width: 1100, height: 900 });
  await shopper.start("protected");
  await shopper.addToCart("bottle");
  await shopper.fillPayment();
  await page.screenshot({ path: "docs/images/checkout.png" });
  await shopper.clickPay(10, 40);
  await expect(page).toHaveURL(/\/orders\//);
  await shopper.settled();
  await page.goto("/ledger");
  await expect(page.getByTestId("figure-orders")).toContainText("1");
  await page.screenshot({ path: "docs/images/ledger.png", fullPage: true });
});

test("README screenshots: the lab, and the ledger after a story with the idempotency key off", async ({ shopper, page }) => {
  await page.setViewportSize({ width: 1100, height: 900 });
  const story = storyById("stripe-key-off")!;
  await page.goto("/lab");
  await page.getByRole("button", { name: `Start the story: ${story.title}` }).click();
  await expect(page.getByTestId("current-story")).toBeVisible();
  await page.screenshot({ path: "docs/images/lab.png", fullPage: true });
  await page.getByRole("button", { name: "Put the mug in the cart and go to the checkout" }).click();
  await shopper.fillPayment();
  await shopper.clickPay(story.clicks);
  await expect.poll(async () => (await shopper.truth()).succeededCharges, { timeout: 30_000 }).toBe(story.promise.charges);
  await expect(page).toHaveURL(/\/orders\//, { timeout: 15_000 });
  await page.goto("/ledger");
  await expect(page.getByTestId("story-charges")).toHaveText(String(story.promise.charges));
  await page.getByTestId("ledger-story").locator("xpath=..").screenshot({ path: "docs/images/ledger-story.png" });
});

test("README screenshots: an attempt as a sequence diagram (UI guard off), with its webhooks and its job", async ({ shopper, page }) => {
  await page.setViewportSize({ width: 1100, height: 900 });
  const worker = startWorker();
  try {
    await shopper.playStory(storyById("ui-guard-off")!);
    await shopper.newestAttempt();
    // Drawn once the webhooks about its PaymentIntent and the worker's steps have all come in.
    const drawn = async () => {
      const { diagram } = await shopper.ledgerAttempt();
      return [await diagram.getByText("payment_intent.succeeded").count(), await diagram.getByText(/^step done: /).count()];
    };
    await expect.poll(drawn, { timeout: BACKGROUND_WORK_MS }).toEqual([1, 4]);
    const { diagram } = await shopper.ledgerAttempt();
    await diagram.screenshot({ path: "docs/images/attempt-diagram.png" });
  } finally {
    worker.stop();
  }
});

test("README screenshots: the scenarios report", async ({ page }) => {
  test.skip(!existsSync("reports/scenarios.html"), "run `npm run scenarios` first");
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(pathToFileURL(path.resolve("reports/scenarios.html")).href);
  // The top of it: the lab's stories under every mode (the whole report runs to hundreds of rows).
  await page.screenshot({ path: "docs/images/scenarios.png", fullPage: true, clip: { x: 0, y: 0, width: 1400, height: 1800 } });
});
