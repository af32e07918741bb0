// Fixtures for the retry scenarios: a shopper with their own session, and the
// server-side truth (database and the local Stripe server) for that session.
// How a person clicks (and the slow network every click lands on) is
// @payonce/playwright's.
import { spawn } from "node:child_process";
import { test as base, expect, type Page, type TestInfo } from "@playwright/test";
import { beforeAnyAnswer, clickRepeatedly } from "@payonce/playwright";
import { db } from "../lib/db/db.server";
import { ledger } from "../lib/demo/ledger.server";
import { ALL_OFF, ALL_ON, LAYERS, type LayerId, type Protections } from "../lib/demo/protections";
import { SESSION_COOKIE, sessionIdFromCookie } from "../lib/sessions/session-cookie.server";
import type { PaymentMethodId } from "../lib/payments/payment-methods";
import type { Story } from "../lib/demo/stories";
import { SERVER_NODE_ARGS } from "../scripts/node-args";
import { paymentIntentsFor as paymentIntentsOf, stripeFaults } from "../tests/local-stripe-control";
import { switchLayers } from "../tests/session-rows";
import { BACKGROUND_WORK_MS } from "./background-work";

export { paymentIntentsOf, stripeFaults };

/**
 * Every retry story runs protected (held to its promise: no duplicate) and
 * unprotected (held to showing the duplicate). `npm run scenarios` also runs
 * it with each single layer off: reported, not held to a promise, since what
 * the other layers catch differs from story to story.
 */
export type Mode = "protected" | "unprotected" | `${LayerId} off`;
export const MODES: Mode[] = ["protected", "unprotected", ...(process.env.PAYONCE_SCENARIOS ? LAYERS.map((layer) => `${layer.id} off` as const) : [])];

/** A story's title: what it does → what it promises in this mode (`one` protected, `duplicate` unprotected). */
export const told = (mode: Mode, story: string, one: string, duplicate: string) =>
  `${story} → ${mode === "protected" ? one : mode === "unprotected" ? duplicate : "reported"}`;

export function protectionsOf(mode: Mode): Protections {
  if (mode === "protected") return ALL_ON;
  if (mode === "unprotected") return ALL_OFF;
  return { ...ALL_ON, [mode.slice(0, -" off".length)]: false };
}

/** A story's figures in `npm run scenarios`' report (the suite's stories). */
export type ScenarioOutcome = {
  requests: number;
  orders: number;
  paymentIntents: number;
  charges: number;
  shipments: number;
  caughtBy: { idempotencyKey: number; businessUniqueness: number };
};

export type ServerTruth = {
  orders: { id: string; status: string; paymentIntentId: string | null }[];
  paymentIntents: { id: string; status: string; charges: { status: string }[] }[];
  succeededCharges: number;
};

export class Shopper {
  constructor(readonly page: Page) {}

  async sessionId(): Promise<string> {
    const cookie = (await this.page.context().cookies()).find((c) => c.name === SESSION_COOKIE);
    const id = sessionIdFromCookie(cookie?.value);
    if (!id) throw new Error("no session cookie yet");
    return id;
  }

  /** Opens the shop (which sets the session cookie) and applies the protection mode. */
  async start(mode: Mode | Protections = "protected") {
    await this.page.goto("/");
    await switchLayers(await this.sessionId(), typeof mode === "string" ? protectionsOf(mode) : mode);
  }

  async addToCart(slug = "mug") {
    // Plenty of stock, so repeated runs and unprotected duplicates never sell out.
    await db.product.update({ where: { slug }, data: { stock: 500 } });
    await this.page.goto("/");
    await this.page
      .getByTestId(`product-${slug}`)
      .getByRole("button", { name: /add .* to cart/i })
      .click();
    await expect(this.page).toHaveURL(/\/checkout$/);
  }

  async fillPayment(card: PaymentMethodId = "pm_card_visa") {
    await this.page.getByLabel("E-mail for the receipt").fill("shopper@example.com");
    await this.page.locator(`input[name=paymentMethod][value=${card}]`).check();
  }

  /** A paid order of one mug; returns its id, with the order page open. */
  async paidOrder(): Promise<string> {
    await this.addToCart("mug");
    await this.fillPayment();
    await this.clickPay(1);
    await expect(this.page).toHaveURL(/\/orders\//);
    await expect(this.page.getByTestId("order-status")).toHaveText("Paid");
    return this.page.url().split("/").pop()!;
  }

  /**
   * Plays a lab story as a person would: starts it from the lab (under other
   * layers if given), puts the mug in the cart, and clicks Pay as it says.
   */
  async playStory(story: Story, protections?: Protections) {
    await this.page.goto("/lab");
    await this.page.getByRole("button", { name: `Start the story: ${story.title}` }).click();
    await expect(this.page.getByTestId("current-story")).toContainText(story.title);
    // A story's slow Stripe is the window its clicks must all land in (a second, for a person's
    // clicks in the lab); a loaded machine's clicks are slower (CI: 4 of 6 requests joined the
    // order before its first PaymentIntent was recorded), so the test widens it to 5 s.
    if (story.clicks > 1 && story.faults.latencyMs) await stripeFaults({ latencyMs: Math.max(story.faults.latencyMs, 5_000) });
    if (protections) await switchLayers(await this.sessionId(), protections);
    await this.page.getByRole("button", { name: "Put the mug in the cart and go to the checkout" }).click();
    await expect(this.page).toHaveURL(/\/checkout$/);
    await this.fillPayment();
    // The ledger's clicks are counted from hydration on (a loaded machine can click before it).
    await expect(this.page.locator("html[data-counting-pay-clicks]")).toBeAttached();
    await this.clickPay(story.clicks);
    if (story.payAgainIfUnanswered) await this.payAgainIfUnanswered();
  }

  /** If the page says the payment service did not answer, Pay once more, as a person would. */
  async payAgainIfUnanswered() {
    const unanswered = this.page.getByText("The payment service did not answer");
    await expect(unanswered.or(this.page.getByTestId("order-status"))).toBeVisible({ timeout: 30_000 });
    if (await unanswered.isVisible()) await this.clickPay(1);
  }

  /** The newest attempt on the ledger, once this session's checkout has settled, with its sequence diagram open. */
  async newestAttempt() {
    await expect(this.page).toHaveURL(/\/orders\//, { timeout: 15_000 });
    await this.settled();
    return this.ledgerAttempt();
  }

  /** The newest attempt on the ledger as it stands now, with its sequence diagram open. */
  async ledgerAttempt() {
    await this.page.goto("/ledger");
    const row = this.page.getByTestId("ledger-attempts").locator("tbody tr").first();
    await row.getByText("As a sequence diagram").click();
    return { row, diagram: row.getByRole("img", { name: "The attempt as a sequence diagram" }) };
  }

  /** For the scenarios report: what the ledger says of this session, if it has one. */
  async attachOutcome(testInfo: TestInfo) {
    const cookie = (await this.page.context().cookies()).find((c) => c.name === SESSION_COOKIE);
    const sessionId = sessionIdFromCookie(cookie?.value);
    if (!sessionId) return;
    const { session, jobs } = await ledger(sessionId);
    if (session.paymentIntents === null || session.charges === null) throw new Error("the local Stripe server did not answer the ledger");
    const outcome: ScenarioOutcome = {
      requests: session.requests,
      orders: session.orders,
      paymentIntents: session.paymentIntents,
      charges: session.charges,
      shipments: jobs.session.shipments,
      caughtBy: { idempotencyKey: session.replays + session.waits, businessUniqueness: session.joined },
    };
    await testInfo.attach("outcome", { body: JSON.stringify(outcome), contentType: "application/json" });
  }

  payButton() {
    return this.page.getByTestId("pay");
  }

  /**
   * Clicks Pay `times` times, `gapMs` apart, at the button's position, as a
   * person does (a double click is about 100 ms): a disabled button ignores them.
   * Every click lands on this page: what the clicks sent reaches the server at
   * once, but its answer only after the last click (beforeAnyAnswer); clickPay
   * returns then, with the answers on their way.
   */
  // 300 ms between clicks: with the UI guard off each click is a plain form post, and a loaded
  // machine's browser can make a post's request over 100 ms after its click; the next click's
  // navigation then cancels it before it leaves (CI: 6 clicks, 5 orders, one POST cancelled 2 ms in).
  async clickPay(times: number, gapMs = 300) {
    // One click waits for nothing (a test may act while its payment is still in flight).
    if (times === 1) return clickRepeatedly(this.payButton(), { times: 1 });
    await beforeAnyAnswer(this.page, () => clickRepeatedly(this.payButton(), { times, gapMs }));
  }

  /** What the database and the payment side hold for this session. */
  async truth(): Promise<ServerTruth> {
    const sessionId = await this.sessionId();
    const orders = await db.order.findMany({
      where: { sessionId },
      select: { id: true, status: true, paymentIntentId: true },
      orderBy: { createdAt: "asc" },
    });
    const paymentIntents = await paymentIntentsOf(orders.map((o) => o.id));
    return {
      orders,
      paymentIntents: paymentIntents.map(({ id, status, charges }) => ({ id, status, charges })),
      succeededCharges: paymentIntents.flatMap((pi) => pi.charges).filter((c) => c.status === "succeeded").length,
    };
  }

  /** This session's shipments once all its fulfillment jobs have run; null while one is still to run (or none is queued yet). */
  async settledShipments(): Promise<number | null> {
    const orders = await db.order.findMany({ where: { sessionId: await this.sessionId() }, select: { id: true } });
    const where = { orderId: { in: orders.map((o) => o.id) } };
    const pending = await db.job.count({ where: { ...where, state: { not: "done" as const } } });
    if ((await db.job.count({ where })) === 0 || pending > 0) return null;
    return db.shipment.count({ where });
  }

  /**
   * Waits until this session's fulfillment jobs have all run (a worker must be
   * running), then counts its shipments: what a double fulfillment sends twice.
   */
  async fulfilled(): Promise<number> {
    let shipments: number | null = null;
    await expect.poll(async () => (shipments = await this.settledShipments()), { timeout: BACKGROUND_WORK_MS }).not.toBeNull();
    return shipments!;
  }

  /** Waits until every request the page sent has been answered and the server is at rest. */
  async settled(expectedOrders: (n: number) => boolean = (n) => n >= 1): Promise<ServerTruth> {
    let truth = await this.truth();
    await expect
      .poll(
        async () => {
          truth = await this.truth();
          const busy = await db.attempt.count({ where: { scope: await this.sessionId(), recoveryPoint: { not: "finished" } } });
          return busy === 0 && expectedOrders(truth.orders.length) && truth.orders.every((o) => o.status !== "awaiting_payment");
        },
        { timeout: BACKGROUND_WORK_MS },
      )
      .toBe(true);
    return truth;
  }
}

/** Collects what a page's console says about its Content-Security-Policy (and uncaught page errors): a passing page says nothing. */
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (message) => {
    // (Not every console error: the browser's own request for /favicon.ico is a 404.)
    if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(`${page.url()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`${page.url()}: ${error.message}`));
  return problems;
}

/** A worker (jobs and upkeep) of its own, with these settings; stop it when done. */
export function startWorker(env: Record<string, string> = {}): { stop(): void } {
  const worker = spawn(process.execPath, [...SERVER_NODE_ARGS, "scripts/worker.ts"], { env: { ...process.env, JOB_POLL_MS: "100", ...env }, stdio: "ignore" });
  return { stop: () => worker.kill() };
}

export const setStripeLatency = (latencyMs: number) => stripeFaults({ latencyMs });

export const test = base.extend<{ shopper: Shopper }>({
  shopper: async ({ page }, use, testInfo) => {
    const shopper = new Shopper(page);
    await use(shopper);
    await setStripeLatency(0);
    // `npm run scenarios`: every story's outcome, as this session's records and the payment side hold it.
    if (process.env.PAYONCE_SCENARIOS) await shopper.attachOutcome(testInfo);
  },
});

export { expect };
