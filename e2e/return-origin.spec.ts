// 3-D Secure brings the customer back to the origin they paid from: the
// session cookie belongs to it. The tests' PUBLIC_URL is 127.0.0.1; the shop
// answers on localhost too, and a customer browsing there must not land on
// 127.0.0.1 without their cookie ("You can close this window").
import { expect, test } from "./fixtures";

for (const host of ["localhost", "127.0.0.1"]) {
  const origin = `http://${host}:${process.env.E2E_APP_PORT}`;

  test.describe(`3-D Secure from ${host}`, () => {
    test.use({ baseURL: origin });

    test(`Visa •••• 3220, complete authentication → back on ${host}, the order paid`, async ({ shopper, page }) => {
      await shopper.start("protected");
      await shopper.addToCart("mug");
      await shopper.fillPayment("pm_card_threeDSecure2Required");
      await shopper.clickPay(1);
      await page.getByRole("button", { name: "Complete authentication" }).click();
      await expect(page).toHaveURL(/\/orders\//);
      expect(new URL(page.url()).origin).toBe(origin);
      await expect(page.getByTestId("order-status")).toHaveText("Paid");
    });
  });
}
