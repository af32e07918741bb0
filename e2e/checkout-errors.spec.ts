// Bad input gets a clear error in the form and writes nothing.
import { db } from "../lib/db/db.server";
import { expect, test } from "./fixtures";

test("an invalid e-mail gets a field error, and no attempt or order is written", async ({ shopper, page }) => {
  await shopper.start("protected");
  await shopper.addToCart();
  await page.getByLabel("E-mail for the receipt").fill("not-an-email");
  await shopper.payButton().click();
  await expect(page.locator("#email-error")).toHaveText("Enter a valid e-mail address.");
  await expect(page.getByLabel("E-mail for the receipt")).toHaveAttribute("aria-invalid", "true");
  const sessionId = await shopper.sessionId();
  expect(await db.attempt.count({ where: { scope: sessionId } })).toBe(0);
  expect(await db.order.count({ where: { sessionId } })).toBe(0);
  // The button is usable again, and the corrected form pays.
  await shopper.fillPayment();
  await shopper.payButton().click();
  await expect(page).toHaveURL(/\/orders\//);
  await expect(page.getByTestId("order-status")).toHaveText("Paid");
});

test("an unknown order is a 404 page, not an error", async ({ shopper, page }) => {
  await shopper.start();
  const response = await page.goto("/orders/does-not-exist");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
});
