// `npm run scenarios`: the lab's stories under every mode (protected, every
// layer off, and each single layer off), each run as a person would, its
// ledger read and photographed. e2e/scenarios-reporter.ts turns the runs (and
// the suite's retry stories, run beside them) into reports/scenarios.html and
// Markdown tables. A report, not a test of promises: e2e/lab.spec.ts holds the
// stories to theirs.
import type { Page } from "@playwright/test";
import { ALL_OFF, ALL_ON, LAYERS, type Protections } from "../lib/demo/protections";
import { storyById, type CaughtLayer } from "../lib/demo/stories";
import { expect, stripeFaults, test, type Shopper } from "./fixtures";

export type ScenarioRow = {
  story: string;
  mode: string;
  clicks: number;
  requests: number;
  replays: string;
  orders: number;
  paymentIntents: number;
  charges: number;
  caughtBy: Partial<Record<CaughtLayer, number>>;
  screenshot: string;
};

const MODES: { id: string; protections: Protections }[] = [
  { id: "protected", protections: ALL_ON },
  { id: "unprotected", protections: ALL_OFF },
  ...LAYERS.map((layer) => ({ id: `${layer.label} off`, protections: { ...ALL_ON, [layer.id]: false } })),
];

const STORIES = ["protected", "lost-response", "stored-500", "webhook-storm"].map((id) => storyById(id)!);
const CAUGHT: CaughtLayer[] = ["uiGuard", "idempotencyKey", "businessUniqueness", "stripeKey", "webhookDedupe"];

/** Until the session's orders, PaymentIntents and charges stop changing and no attempt is running. */
async function settle(shopper: Shopper) {
  let last = "";
  await expect
    .poll(
      async () => {
        const truth = await shopper.truth();
        const now = JSON.stringify([truth.orders.map((o) => o.status), truth.paymentIntents.length, truth.succeededCharges]);
        const stable = now === last && truth.orders.length > 0;
        last = now;
        return stable;
      },
      { timeout: 30_000, intervals: [1_500] },
    )
    .toBe(true);
}

async function readLedger(page: Page) {
  await page.goto("/ledger");
  const figure = async (id: string) => Number(await page.getByTestId(`story-${id}`).innerText());
  const caught = Object.fromEntries(
    await Promise.all(CAUGHT.map(async (layer) => [layer, Number(await page.getByTestId(`caught-${layer}`).locator("td.num").innerText())] as const)),
  );
  return {
    clicks: await figure("clicks"),
    requests: await figure("requests"),
    replays: (await page.getByTestId("ledger-story").locator("tbody td").nth(2).innerText()).trim(),
    orders: await figure("orders"),
    paymentIntents: await figure("paymentIntents"),
    charges: await figure("charges"),
    caughtBy: Object.fromEntries(Object.entries(caught).filter(([, n]) => Number.isFinite(n) && n > 0)),
  };
}

test.afterEach(() => stripeFaults({ clearFailures: true, latencyMs: 0, webhooks: { duplicates: 0, delayMs: 0, shuffle: false } }));

for (const story of STORIES) {
  for (const mode of MODES) {
    test(`${story.title} · ${mode.id}`, async ({ shopper, page }, testInfo) => {
      await page.setViewportSize({ width: 1100, height: 900 });
      await shopper.playStory(story, mode.protections);
      await settle(shopper);
      const ledger = await readLedger(page);
      const screenshot = testInfo.outputPath("ledger.png");
      await page.getByTestId("ledger-story").locator("xpath=..").screenshot({ path: screenshot });
      const row: ScenarioRow = { story: story.title, mode: mode.id, ...ledger, screenshot };
      await testInfo.attach("scenario", { body: JSON.stringify(row), contentType: "application/json" });
    });
  }
}
