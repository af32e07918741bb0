// What a new user ran into when we tried the demo as one (issue 15): each of
// these made the demo ask for something twice or, worse, say something untrue.
// (The e-mail kept after a reload mid-payment: e2e/checkout-retries.spec.ts.)
import { spawn } from "node:child_process";
import { instancePort } from "./app-instance";
import { expect, test, watchConsole } from "./fixtures";

test("adding to the cart shows the new count in the header at once", async ({ shopper, page }) => {
  await shopper.start("protected");
  await shopper.addToCart("mug");
  await expect(page.getByTestId("cart-link")).toHaveText("Cart (1)");
  await shopper.addToCart("mug");
  await expect(page.getByTestId("cart-link")).toHaveText("Cart (2)");
});

// `npm run dev` opened at http://127.0.0.1:3000 instead of localhost: Next
// blocks its dev scripts for an origin it was not told about, the page never
// hydrates, the UI guard never runs, and the ledger still shows one charge.
test("next dev browsed at 127.0.0.1 hydrates (its dev scripts are allowed) and breaks no CSP rule", async ({ page }) => {
  test.setTimeout(180_000);
  const problems = watchConsole(page);
  const port = instancePort(104);
  const dev = spawn(process.execPath, ["node_modules/next/dist/bin/next", "dev", "-p", String(port)], {
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    stdio: "ignore",
    detached: true,
  });
  try {
    await expect
      .poll(
        () =>
          fetch(`http://127.0.0.1:${port}/`).then(
            (r) => r.status,
            () => 0,
          ),
        { timeout: 150_000, intervals: [1_000] },
      )
      .toBe(200);
    await page.goto(`http://127.0.0.1:${port}/`);
    // React marks every element it hydrated with its fiber.
    const hydrated = () => page.getByTestId("cart-link").evaluate((a) => Object.keys(a).some((k) => k.startsWith("__reactFiber")));
    await expect.poll(hydrated, { timeout: 60_000 }).toBe(true);
    await page.waitForLoadState("networkidle");
    expect(problems).toEqual([]);
  } finally {
    process.kill(-dev.pid!, "SIGKILL");
  }
});
