// The lab holds its promises: each story, set up from its button as a person
// would, with the clicks it asks for, ends with the ledger showing exactly
// the figures the story promised (lib/demo/stories.ts).
import { db } from "../lib/db/db.server";
import { ALL_ON } from "../lib/demo/protections";
import { STORIES, storyById, storyLine } from "../lib/demo/stories";
import { STRIPE } from "../tests/local-stripe-control";
import { BACKGROUND_WORK_MS, timeoutForBackgroundWaits } from "./background-work";
import { expect, startWorker, stripeFaults, test } from "./fixtures";

// The checkout settled, then the diagram's webhooks and worker steps: two waits on background work.
test.describe.configure({ timeout: timeoutForBackgroundWaits(2) });

test.afterEach(() => stripeFaults({ clearFailures: true, latencyMs: 0, webhooks: { duplicates: 0, delayMs: 0, shuffle: false } }));

for (const story of STORIES) {
  const { requests, orders, paymentIntents, charges } = story.promise;
  test(`lab story "${story.title}": ${storyLine(story)}`, async ({ shopper, page }) => {
    await shopper.playStory(story);
    // The server's truth first (every request answered), then the ledger as the person reads it, in this tab.
    await expect
      .poll(
        async () => {
          const truth = await shopper.truth();
          return [truth.orders.length, truth.paymentIntents.length, truth.succeededCharges];
        },
        { timeout: 30_000 },
      )
      .toEqual([orders, paymentIntents, charges]);
    await expect(page).toHaveURL(/\/orders\/|\/checkout/);
    const figure = (id: string) => page.getByTestId(`story-${id}`).innerText();
    await expect
      .poll(
        async () => {
          await page.goto("/ledger");
          return Promise.all(["clicks", "requests", "orders", "paymentIntents", "charges"].map(figure));
        },
        { timeout: 15_000 },
      )
      .toEqual([story.promise.clicks, requests, orders, paymentIntents, charges].map(String));
    for (const [layer, count] of Object.entries(story.caught ?? {}))
      await expect(page.getByTestId(`caught-${layer}`).locator("td.num")).toHaveText(String(count));
  });
}

test("the ledger draws the attempt: with the UI guard off, five requests with the same key, each answered by a replay", async ({ shopper }) => {
  const story = storyById("ui-guard-off")!;
  await shopper.playStory(story);
  const { row, diagram } = await shopper.newestAttempt();
  await expect(row).toContainText("idempotency key: 5 replayed");
  await expect(diagram.getByText("Pay (same key)")).toHaveCount(5);
  await expect(diagram.getByText(/^replay: paid$/)).toHaveCount(5);
  await expect(diagram.getByText("create + confirm the PaymentIntent")).toHaveCount(1);
});

for (const dedupe of [true, false]) {
  test(`the ledger draws the webhooks and the worker: the PaymentIntent's two events three times each, webhook dedupe ${dedupe ? "on → 2 applied, 4 acknowledged with no effect" : "off → all 6 applied"}`, async ({
    shopper,
  }) => {
    const worker = startWorker();
    try {
      await shopper.playStory(storyById("webhook-storm")!, { ...ALL_ON, webhookDedupe: dedupe });
      await shopper.newestAttempt();
      // Deliveries and the worker's steps come after the checkout's answer.
      const drawn = async () => {
        const { diagram } = await shopper.ledgerAttempt();
        const count = (text: string) => diagram.getByText(text).count();
        return {
          sent: await count("payment_intent.succeeded"),
          applied: await count("applied"),
          ignored: await count("200: seen before, no effect"),
          steps: await diagram.getByText(/^step done: /).count(),
        };
      };
      // The worker's four steps too (it may start after the payment: its own process).
      await expect
        .poll(drawn, { timeout: BACKGROUND_WORK_MS })
        .toEqual(dedupe ? { sent: 3, applied: 2, ignored: 4, steps: 4 } : { sent: 3, applied: 6, ignored: 0, steps: 4 });
      const { row } = await shopper.ledgerAttempt();
      if (dedupe) await expect(row).toContainText("webhook dedupe: 4 redelivered");
      else await expect(row).not.toContainText("webhook dedupe");
    } finally {
      worker.stop();
    }
  });
}

test("the lab's reset starts from zero: no orders, no PaymentIntents, the units back in stock", async ({ shopper, page }) => {
  await shopper.start("protected");
  await shopper.paidOrder(); // addToCart sets the mug's stock to 500 first
  expect((await db.product.findUniqueOrThrow({ where: { slug: "mug" } })).stock).toBe(499);
  await page.goto("/lab");
  await page.getByRole("button", { name: "Reset" }).click();
  await expect(page.getByText("Started over")).toBeVisible();
  expect((await shopper.truth()).orders).toHaveLength(0);
  expect((await db.product.findUniqueOrThrow({ where: { slug: "mug" } })).stock).toBe(500);
  await page.goto("/ledger");
  for (const id of ["requests", "orders", "paymentIntents", "charges"]) await expect(page.getByTestId(`story-${id}`)).toHaveText("0");
});

test("the payment provider's faults by hand: switched as chosen; a tampered value is refused and changes nothing", async ({ page }) => {
  const faults = async () => (await fetch(`${STRIPE}/_control/faults`)).json();
  await page.goto("/lab");
  const provider = page.locator("#provider");
  await provider.getByLabel("slow (3 s)").check();
  await provider.getByLabel("What Stripe does").selectOption("drop");
  await provider.getByLabel("How many calls in a row").selectOption("2");
  await provider.getByLabel("Each event delivered").selectOption("3");
  await provider.getByLabel("shuffled (out of order)").check();
  await provider.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/faults=1/);
  expect(await faults()).toEqual({
    latencyMs: 3000,
    webhooks: { duplicates: 2, delayMs: 0, shuffle: true },
    failures: [{ method: "POST", path: "/v1/payment_intents", mode: "drop", remaining: 2 }],
  });
  // A value no option offers (sent as a hand-edited form would): refused, nothing switched.
  await provider.getByLabel("How many calls in a row").evaluate((select: HTMLSelectElement) => (select.options[0]!.value = "99"));
  await provider.getByLabel("How many calls in a row").selectOption("99");
  await provider.getByLabel("instant").check();
  await provider.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByText("Those settings are out of range; nothing was changed.")).toBeVisible();
  expect((await faults()).latencyMs).toBe(3000);
});

// Issue 25 review: the demo panel's Save and the lab's steps with the session ended were 500s.
test("the lab with this session ended: the layers' Save and a story's step say so on the page, not a 500", async ({ shopper, page }) => {
  await shopper.start("protected");
  await page.goto("/lab");
  const expire = async () => db.session.update({ where: { id: await shopper.sessionId() }, data: { expiresAt: new Date(Date.now() - 1000) } });
  await expire();
  await page.getByRole("button", { name: "Unprotected (all off)" }).click();
  await expect(page.getByText(/^Your session has ended/)).toBeVisible();
  await shopper.start("protected"); // the new session proxy.ts began, stored
  await page.goto("/lab");
  await expire();
  await page.getByRole("button", { name: "Reset", exact: true }).click(); // refused before it resets anything
  await expect(page.getByText(/^Your session has ended/)).toBeVisible();
});
