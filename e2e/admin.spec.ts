// The merchant admin: a refund and "mark as shipped", each sent twice in the
// three ways a person does (one refund, one shipping e-mail when protected;
// the second refund and the second e-mail without the protections), and two
// admins refunding at once, who never refund more than was paid.
import { db } from "../lib/db/db.server";
import { ALL_OFF, ALL_ON } from "../lib/demo/protections";
import { switchLayers } from "../tests/session-rows";
import { SESSION_COOKIE, sessionIdFromCookie } from "../lib/sessions/session-cookie.server";
import { hydrated } from "@payonce/playwright";
import { doubleSubmitStories } from "./double-submit";
import { expect, test, type Mode, type Shopper } from "./fixtures";
import type { Page } from "@playwright/test";

let orderId = "";

/** A story's start: a paid order, in `mode`, open in the admin. */
async function paidOrderInAdmin(shopper: Shopper, mode: Mode) {
  await shopper.start(mode);
  orderId = await shopper.paidOrder();
  return `/admin/orders/${orderId}`;
}

doubleSubmitStories("refund", {
  setUp: paidOrderInAdmin,
  fill: (page) => page.getByLabel(/Amount/).fill("5.00"),
  button: "refund",
  count: () => db.refund.count({ where: { orderId, status: "succeeded" } }),
  one: "one refund",
  duplicate: "a second refund",
});

doubleSubmitStories("mark as shipped", {
  setUp: paidOrderInAdmin,
  fill: async () => {},
  button: "ship",
  count: () => db.outboxEmail.count({ where: { orderId, kind: "shipped" } }),
  one: "one shipping e-mail",
  duplicate: "a second shipping e-mail",
});

/** A second admin, in a browser of their own, on the same order page. */
async function secondAdmin(page: Page, mode: Mode): Promise<Page> {
  const other = await page
    .context()
    .browser()!
    .newPage({ baseURL: new URL(page.url()).origin });
  await other.goto("/");
  const cookie = (await other.context().cookies()).find((c) => c.name === SESSION_COOKIE);
  await switchLayers(sessionIdFromCookie(cookie?.value)!, mode === "protected" ? ALL_ON : ALL_OFF);
  return other;
}

for (const mode of ["protected", "unprotected"] as const) {
  test(`two admins refund 12.00 of an 18.00 order at the same moment, ${mode} → ${mode === "protected" ? "one refund, the other told what is left" : "both sent, more than was paid (Stripe refuses one)"}`, async ({
    shopper,
    page,
  }) => {
    await shopper.start(mode);
    const id = await shopper.paidOrder();
    const other = await secondAdmin(page, mode);
    for (const p of [page, other]) {
      await p.goto(`/admin/orders/${id}`);
      if (mode === "protected") await hydrated(p.getByTestId("refund"));
      await p.getByLabel(/Amount/).fill("12.00");
    }
    await Promise.all([page.getByTestId("refund").click(), other.getByTestId("refund").click()]);
    await expect.poll(() => db.refund.count({ where: { orderId: id, status: { not: "pending" } } })).toBeGreaterThan(0);
    if (mode === "protected") for (const p of [page, other]) await expect(p.getByRole("status").first()).not.toBeEmpty();
    const order = await db.order.findUniqueOrThrow({ where: { id } });
    if (mode === "protected") {
      const said = await Promise.all([page, other].map((p) => p.getByRole("status").first().innerText()));
      const refunded = said.findIndex((t) => t.startsWith("Refunded $12.00"));
      expect(refunded).not.toBe(-1);
      // The other is told, next to the amount or below the button.
      await expect([page, other][1 - refunded]!.getByText(/At most \$6\.00 is left|Another refund took/)).toBeVisible();
      expect(await db.refund.count({ where: { orderId: id } })).toBe(1);
      expect(order.refundReservedCents).toBeLessThanOrEqual(order.amountCents);
    } else {
      await expect.poll(() => db.refund.count({ where: { orderId: id, status: { not: "pending" } } })).toBe(2);
      // Both were reserved and sent: Stripe refused the one past what was paid.
      expect(await db.refund.count({ where: { orderId: id, status: "failed" } })).toBe(1);
    }
    await other.close();
  });
}

test("a refund that is not an amount, or more than is left, gets a field error and writes nothing", async ({ shopper, page }) => {
  await shopper.start("protected");
  const id = await shopper.paidOrder();
  await page.goto(`/admin/orders/${id}`);
  await hydrated(page.getByTestId("refund"));
  await page.getByLabel(/Amount/).fill("twelve");
  await page.getByTestId("refund").click();
  await expect(page.getByText("Enter an amount such as 12.50.")).toBeVisible();
  await page.getByLabel(/Amount/).fill("18.01");
  await page.getByTestId("refund").click();
  await expect(page.getByText("At most $18.00 is left to refund.")).toBeVisible();
  expect(await db.refund.count({ where: { orderId: id } })).toBe(0);
  expect(await db.attempt.count({ where: { scope: await shopper.sessionId(), orderId: id, outcome: { contains: "refund" } } })).toBe(0);
});

test("the admin lists the order, refunds it in full and the order shows as refunded", async ({ shopper, page }) => {
  await shopper.start("protected");
  const id = await shopper.paidOrder();
  await page.goto("/admin");
  await page.getByRole("link", { name: id }).click();
  await hydrated(page.getByTestId("refund"));
  await page.getByTestId("refund").click();
  await expect(page.getByTestId("admin-order-status")).toHaveText("refunded");
  await expect(page.getByTestId("refunded")).toHaveText("$18.00");
  await page.goto(`/orders/${id}`);
  await expect(page.getByTestId("order-status")).toHaveText("Refunded");
});
