// After paying in the browser, the worker fulfils the order once: one e-mail
// on /mail, one points grant, one shipment, all visible on the ledger.
import { spawn } from "node:child_process";
import { expect, test } from "./fixtures";
import { SERVER_NODE_ARGS } from "../scripts/node-args";

test("a paid order's confirmation e-mail appears on /mail, and the ledger shows one of each effect", async ({ shopper, page }) => {
  const worker = spawn(process.execPath, [...SERVER_NODE_ARGS, "scripts/worker.ts"], { env: { ...process.env, JOB_POLL_MS: "100" }, stdio: "ignore" });
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
    }).toPass({ timeout: 15_000 });
    await page.goto("/ledger");
    const fulfillment = page.getByTestId("ledger-fulfillment");
    await expect(fulfillment.getByRole("row", { name: /Confirmation e-mails/ })).toContainText("1");
    await expect(fulfillment.getByRole("row", { name: /Loyalty points/ })).toContainText("1, 22");
    await expect(fulfillment.getByRole("row", { name: /Shipments/ })).toContainText("1");
  } finally {
    worker.kill();
  }
});
