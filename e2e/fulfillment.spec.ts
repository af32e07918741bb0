// After paying in the browser, the worker fulfils the order once: one e-mail
// on /mail, one points grant, one shipment, all visible on the ledger.
import { BACKGROUND_WORK_MS, timeoutForBackgroundWaits } from "./background-work";
import { expect, startWorker, test } from "./fixtures";

test.describe.configure({ timeout: timeoutForBackgroundWaits(1) });

test("a paid order's confirmation e-mail appears on /mail, and the ledger shows one of each effect", async ({ shopper, page }) => {
  const worker = startWorker();
  try {
    await shopper.start("protected");
    await shopper.addToCart("socks");
    await shopper.fillPayment();
    await shopper.clickPay(2);
    await expect(page).toHaveURL(/\/orders\//);
    const orderId = page.url().split("/").pop()!;

    await expect(async () => {
      await page.goto("/mail");
      await expect(page.getByTestId("mail").filter({ hasText: orderId })).toHaveCount(1);
    }).toPass({ timeout: BACKGROUND_WORK_MS });
    await page.goto("/ledger");
    const fulfillment = page.getByTestId("ledger-fulfillment");
    await expect(fulfillment.getByRole("row", { name: /Confirmation e-mails/ })).toContainText("1");
    await expect(fulfillment.getByRole("row", { name: /Loyalty points/ })).toContainText("1, 22");
    await expect(fulfillment.getByRole("row", { name: /Shipments/ })).toContainText("1");
  } finally {
    worker.stop();
  }
});
