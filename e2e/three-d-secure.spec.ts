// Payments that finish later: the bank asks for 3-D Secure, the customer
// leaves for its page and comes back, and the result arrives twice (the
// return page and the webhook), in either order, possibly many times. Each
// story runs protected (one order, one PaymentIntent, at most one charge, one
// fulfillment) and unprotected (where it sees the duplicate); `npm run
// scenarios` reports it with each single layer off too.
import type { Page } from "@playwright/test";
import { db } from "../lib/db/db.server";
import { BACKGROUND_WORK_MS, timeoutForBackgroundWaits } from "./background-work";
import { expect, MODES, startWorker, stripeFaults, test, told, type Mode, type Shopper } from "./fixtures";
import { holdWebhooks } from "./held-webhooks";

const THREE_DS = "pm_card_threeDSecure2Required";

/** Pays with a card that asks for authentication; returns once the bank's page is shown. */
async function payUntilAuthentication(shopper: Shopper) {
  await shopper.fillPayment(THREE_DS);
  await shopper.clickPay(1);
  await expect(shopper.page.getByRole("button", { name: "Complete authentication" })).toBeVisible();
  return shopper.page.url();
}

/** Answers the bank's page; resolves with the return address Stripe sent the customer to. */
async function authenticate(page: Page, answer: "Complete" | "Fail") {
  const returned = page.waitForRequest(/\/checkout\/return\?/);
  await page.getByRole("button", { name: `${answer} authentication` }).click();
  return (await returned).url();
}

/**
 * Whether the session's order is paid and its fulfillment job has run to the
 * end. Unprotected, a report of the same success after this fulfils it again;
 * one that comes while the job is still queued or running only restarts it
 * (one shipment), so a story that must show the duplicate waits for this first.
 */
const fulfillmentRan = (shopper: Shopper) => async () => {
  const order = await db.order.findFirst({ where: { sessionId: await shopper.sessionId() } });
  return order?.status === "paid" && (await db.job.findUnique({ where: { orderId: order.id } }))?.state === "done";
};

/** Waits until the worker fulfilled the order: once protected, more than once unprotected. */
async function expectFulfilled(mode: Mode, shopper: Shopper) {
  if (mode === "unprotected")
    return expect.poll(async () => (await shopper.settledShipments()) ?? 0, { timeout: BACKGROUND_WORK_MS }).toBeGreaterThanOrEqual(2);
  const shipments = await shopper.fulfilled();
  if (mode === "protected") expect(shipments).toBe(1);
}

// The abandoned story's product: no other story holds its units.
const candle = () => db.product.findUniqueOrThrow({ where: { slug: "candle" } });

for (const mode of MODES) {
  const prot = mode === "protected";
  const held = prot || mode === "unprotected"; // not with a single layer off: reported only

  test.describe(`3-D Secure, ${mode}`, () => {
    // Up to four waits on the worker, the webhooks or the completer in a row (the reloads' story: settled, fulfilled, reload, fulfilled).
    test.describe.configure({ timeout: timeoutForBackgroundWaits(4) });
    let worker: { stop(): void };
    test.beforeEach(() => {
      worker = startWorker();
    });
    test.afterEach(async () => {
      worker.stop();
      await stripeFaults({ webhooks: { duplicates: 0, delayMs: 0, shuffle: false } });
    });

    test(
      told(mode, "complete authentication, the webhook a moment later", "paid once, fulfilled once", "the return and the webhook each fulfil it"),
      async ({ shopper, page }) => {
        // The webhook reaches the app once the return's fulfillment has run, and reports the same success again.
        const webhooks = await holdWebhooks(fulfillmentRan(shopper));
        try {
          await shopper.start(mode);
          await shopper.addToCart("mug");
          await payUntilAuthentication(shopper);
          await authenticate(page, "Complete");
          await expect(page).toHaveURL(/\/orders\//);
          await expect(page.getByTestId("order-status")).toHaveText("Paid");
          const truth = await shopper.settled();
          expect(truth.orders).toHaveLength(1);
          expect(truth.paymentIntents).toHaveLength(1);
          expect(truth.succeededCharges).toBe(1);
          await webhooks.handedOn();
        } finally {
          await webhooks.stop();
        }
        await expectFulfilled(mode, shopper);
      },
    );

    test(
      told(mode, "fail authentication, then pay with another card", "the same order and PaymentIntent", "a second PaymentIntent"),
      async ({ shopper, page }) => {
        await shopper.start(mode);
        await shopper.addToCart("mug");
        await payUntilAuthentication(shopper);
        await authenticate(page, "Fail");
        await expect(page).toHaveURL(/\/checkout\?result=declined/);
        await expect(page.getByText(/failed authentication/).first()).toBeVisible();
        await shopper.fillPayment("pm_card_visa");
        await shopper.clickPay(1);
        await expect(page).toHaveURL(/\/orders\//);
        await expect(page.getByTestId("order-status")).toHaveText("Paid");
        const truth = await shopper.settled();
        expect(truth.succeededCharges).toBe(1);
        if (held) expect([truth.paymentIntents.length, truth.orders.length]).toEqual(prot ? [1, 1] : [2, 2]);
      },
    );

    test(told(mode, "the return page reloaded 5 times", "fulfilled once", "fulfilled again on every reload"), async ({ shopper, page }) => {
      await shopper.start(mode);
      await shopper.addToCart("mug");
      await payUntilAuthentication(shopper);
      const back = await authenticate(page, "Complete");
      await expect(page).toHaveURL(/\/orders\//);
      for (let i = 0; i < 5; i++) {
        // The last reload comes once the order has been fulfilled, so that unprotected it is fulfilled again.
        if (i === 4) await expect.poll(fulfillmentRan(shopper), { timeout: BACKGROUND_WORK_MS }).toBe(true);
        else await page.waitForTimeout(300);
        await page.goto(back);
        await expect(page).toHaveURL(/\/orders\//);
      }
      const truth = await shopper.settled();
      expect(truth.paymentIntents).toHaveLength(1);
      expect(truth.succeededCharges).toBe(1);
      await expectFulfilled(mode, shopper);
    });

    test(told(mode, "the webhook before the return", "the return changes nothing", "the return fulfils it again"), async ({ shopper, page }) => {
      await shopper.start(mode);
      await shopper.addToCart("mug");
      await payUntilAuthentication(shopper);
      // The bank's answer sending the customer back is held until the webhook has paid the order and its fulfillment has run.
      await page.route(/\/3d_secure_2\/hosted/, async (route) => {
        if (route.request().method() !== "POST") return route.continue();
        const response = await route.fetch({ maxRedirects: 0 });
        await expect.poll(fulfillmentRan(shopper), { timeout: BACKGROUND_WORK_MS }).toBe(true);
        await route.fulfill({ response });
      });
      await authenticate(page, "Complete");
      await expect(page).toHaveURL(/\/orders\//);
      await expect(page.getByTestId("order-status")).toHaveText("Paid");
      const truth = await shopper.settled();
      expect(truth.succeededCharges).toBe(1);
      await expectFulfilled(mode, shopper);
    });

    test(told(mode, "the webhook 5 times, shuffled with the return and its reloads", "fulfilled once", "fulfilled again"), async ({ shopper, page }) => {
      await stripeFaults({ webhooks: { duplicates: 4, delayMs: 300, shuffle: true } });
      await shopper.start(mode);
      await shopper.addToCart("mug");
      await payUntilAuthentication(shopper);
      const back = await authenticate(page, "Complete");
      await expect(page).toHaveURL(/\/orders\//);
      for (let i = 0; i < 3; i++) {
        // The last reload comes once the order has been fulfilled, so that unprotected it is fulfilled again
        // (the shuffled webhooks and reloads may all have come while the first fulfillment was still running).
        if (i === 2) await expect.poll(fulfillmentRan(shopper), { timeout: BACKGROUND_WORK_MS }).toBe(true);
        else await page.waitForTimeout(500);
        await page.goto(back);
      }
      await expect(page.getByTestId("order-status")).toHaveText("Paid");
      const truth = await shopper.settled();
      expect(truth.paymentIntents).toHaveLength(1);
      expect(truth.succeededCharges).toBe(1);
      await expectFulfilled(mode, shopper);
    });

    test(
      told(mode, "Pay again while authentication is pending (back button, a second tab)", "the same authentication", "a second PaymentIntent"),
      async ({ shopper, page, context }) => {
        await shopper.start(mode);
        await shopper.addToCart("mug");
        const first = await payUntilAuthentication(shopper);
        await page.goBack();
        await expect(shopper.payButton()).toBeVisible();
        const again = await payUntilAuthentication(shopper);
        const tab = await context.newPage();
        await tab.goto("/checkout");
        await tab.getByLabel("E-mail for the receipt").fill("shopper@example.com");
        await tab.locator(`input[name=paymentMethod][value=${THREE_DS}]`).check();
        await tab.getByTestId("pay").click();
        await expect(tab.getByRole("button", { name: "Complete authentication" })).toBeVisible();
        if (prot) expect([again, tab.url()]).toEqual([first, first]);
        await authenticate(tab, "Complete");
        await expect(tab).toHaveURL(/\/orders\//);
        const truth = await shopper.truth();
        expect(truth.succeededCharges).toBe(1);
        if (held) expect(truth.paymentIntents.length).toBe(prot ? 1 : 3);
      },
    );

    test(
      told(
        mode,
        "abandoned authentication",
        "the hold window gives the units back and cancels the PaymentIntent",
        "the hold window gives the units back and cancels both PaymentIntents",
      ),
      async ({ shopper, page }) => {
        await shopper.start(mode);
        await shopper.addToCart("candle");
        const stock = (await candle()).stock;
        await payUntilAuthentication(shopper);
        // The customer leaves the bank's page, comes back, tries once more, and leaves again.
        await page.goto("/checkout");
        await payUntilAuthentication(shopper);
        await page.goto("/");
        const sweeper = startWorker({ STOCK_HOLD_MINUTES: "0.02", COMPLETER_INTERVAL_SECONDS: "0.5" });
        try {
          await expect
            .poll(
              async () => {
                const { paymentIntents, orders } = await shopper.truth();
                return paymentIntents.every((pi) => pi.status === "canceled") && orders.every((o) => o.status === "payment_failed");
              },
              { timeout: BACKGROUND_WORK_MS },
            )
            .toBe(true);
        } finally {
          sweeper.stop();
        }
        const truth = await shopper.truth();
        if (held) expect(truth.paymentIntents).toHaveLength(prot ? 1 : 2);
        expect(truth.succeededCharges).toBe(0);
        expect(truth.orders.every((o) => o.status === "payment_failed")).toBe(true);
        expect((await candle()).stock).toBe(stock);
      },
    );
  });
}
