// The pictures in the README, taken from a real run: checkout, then the ledger.
// `npm run screenshots` only (playwright.config.ts): they rewrite docs/images/.
import { expect, test } from "./fixtures";

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
