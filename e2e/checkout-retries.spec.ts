// The retry scenarios of docs/DESIGN.md, each run twice: with every protection on
// it must end in exactly one order, one PaymentIntent and one charge; with the
// protections off (the demo's unprotected mode) it must show the duplicate,
// which proves the scenario really exercises what the protections prevent.
// (`npm run scenarios` also runs each with a single layer off, and reports it.)
import { db } from "../lib/db/db.server";
import { timeoutForBackgroundWaits } from "./background-work";
import { holdScripts } from "@payonce/playwright";
import { expect, MODES, setStripeLatency, test, told, type Mode, type ServerTruth } from "./fixtures";

// Each story waits for its checkout to settle (Shopper.settled).
test.describe.configure({ timeout: timeoutForBackgroundWaits(1) });

function expectOutcome(mode: Mode, truth: ServerTruth) {
  if (mode === "protected") {
    expect(truth.orders).toHaveLength(1);
    expect(truth.orders[0]!.status).toBe("paid");
    expect(truth.paymentIntents).toHaveLength(1);
    expect(truth.paymentIntents[0]!.id).toBe(truth.orders[0]!.paymentIntentId);
    expect(truth.succeededCharges).toBe(1);
  } else if (mode === "unprotected") {
    expect(truth.orders.length).toBeGreaterThan(1);
    expect(truth.succeededCharges).toBeGreaterThan(1);
  }
}

const settleFor = (mode: Mode) => (n: number) => (mode === "unprotected" ? n > 1 : n >= 1);

for (const mode of MODES) {
  test.describe(`${mode}`, () => {
    test(told(mode, "double click on Pay", "one charge", "duplicate charges"), async ({ shopper, page }) => {
      await shopper.start(mode);
      await shopper.addToCart();
      await shopper.fillPayment();
      await setStripeLatency(300);
      await shopper.clickPay(2);
      await expect(page).toHaveURL(/\/orders\//);
      expectOutcome(mode, await shopper.settled(settleFor(mode)));
    });

    test(told(mode, "ten rapid clicks", "one charge", "duplicate charges"), async ({ shopper, page }) => {
      await shopper.start(mode);
      await shopper.addToCart();
      await shopper.fillPayment();
      await setStripeLatency(300);
      await shopper.clickPay(10, 40);
      await expect(page).toHaveURL(/\/orders\//);
      expectOutcome(mode, await shopper.settled(settleFor(mode)));
    });

    test(told(mode, "Enter pressed twice", "one charge", "duplicate charges"), async ({ shopper, page }) => {
      await shopper.start(mode);
      await shopper.addToCart();
      await shopper.fillPayment();
      await setStripeLatency(300);
      await page.getByLabel("E-mail for the receipt").focus();
      await page.keyboard.press("Enter");
      await page.waitForTimeout(100);
      await page.keyboard.press("Enter");
      await expect(page).toHaveURL(/\/orders\//);
      expectOutcome(mode, await shopper.settled(settleFor(mode)));
    });

    test(told(mode, "Pay clicked twice before the page hydrated", "one charge", "duplicate charges"), async ({ shopper, page }) => {
      await shopper.start(mode);
      await shopper.addToCart();
      // Hold every script back: the form is plain server-rendered HTML.
      const releaseScripts = await holdScripts(page);
      await page.goto("/checkout", { waitUntil: "domcontentloaded" });
      expect(await page.evaluate(() => "__next_f" in window && document.querySelector("[data-testid=pay]")?.hasAttribute("disabled"))).toBe(false);
      await shopper.fillPayment();
      await setStripeLatency(300);
      await shopper.clickPay(2);
      await expect(page).toHaveURL(/\/orders\//);
      releaseScripts();
      expectOutcome(mode, await shopper.settled(settleFor(mode)));
    });

    test(told(mode, "reload in the middle of paying, then Pay again", "one charge", "duplicate charges"), async ({ shopper, page }) => {
      await shopper.start(mode);
      await shopper.addToCart();
      await shopper.fillPayment();
      await setStripeLatency(2_000);
      await shopper.clickPay(1);
      // The order exists and the Stripe call is in flight: now reload.
      const sessionId = await shopper.sessionId();
      await expect.poll(() => db.order.count({ where: { sessionId } })).toBe(1);
      // Reload the checkout page (as a navigation: a plain form's POST is still pending).
      await page.goto("/checkout");
      // The unpaid order's e-mail is there: nobody types it twice.
      await expect(page.getByLabel("E-mail for the receipt")).toHaveValue("shopper@example.com");
      await shopper.fillPayment();
      await shopper.payButton().click();
      // With only the key off, the first payment may still be in flight at Stripe: it says so, and the person pays again.
      await shopper.payAgainIfUnanswered();
      await expect(page).toHaveURL(/\/orders\//, { timeout: 15_000 });
      expectOutcome(mode, await shopper.settled(settleFor(mode)));
    });

    test(told(mode, "declined, then paid with another card", "one order, one PaymentIntent", "two orders"), async ({ shopper, page }) => {
      await shopper.start(mode);
      await shopper.addToCart();
      await shopper.fillPayment("pm_card_chargeDeclined");
      await shopper.payButton().click();
      await expect(page.getByRole("status")).toContainText("Your card was declined.");
      await shopper.fillPayment("pm_card_visa");
      await shopper.payButton().click();
      await expect(page).toHaveURL(/\/orders\//);
      await expect(page.getByTestId("order-status")).toHaveText("Paid");
      const truth = await shopper.settled(settleFor(mode));
      if (mode === "protected") {
        expect(truth.orders).toHaveLength(1);
        expect(truth.paymentIntents).toHaveLength(1);
        expect(truth.paymentIntents[0]!.charges.map((c) => c.status)).toEqual(["failed", "succeeded"]);
      } else if (mode === "unprotected") {
        expect(truth.orders).toHaveLength(2);
        expect(truth.paymentIntents).toHaveLength(2);
      }
    });
  });
}
