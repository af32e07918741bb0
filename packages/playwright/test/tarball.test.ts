// The package as a user gets it: `npm pack` makes the tarballs of it and of
// @payonce/stripe-local (dist/ built by their prepack), a scratch project
// installs both alone with @playwright/test and the stripe SDK from the npm
// registry (or npm's cache), and a Playwright spec there uses stripeTest (a
// local Stripe server per worker, its control reset before each test),
// StripeControl's faults and ledger, and expectExactlyOnce/expectDuplicate on
// the ledger's counts. (The browser hammers are proven from their tarball by
// examples/newsletter, in a real Next app.)
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const PACKAGE = fileURLToPath(new URL("..", import.meta.url));
const STRIPE_LOCAL = path.join(PACKAGE, "..", "stripe-local");
const PLAYWRIGHT_VERSION = (
  JSON.parse(readFileSync(path.join(PACKAGE, "..", "..", "node_modules", "@playwright", "test", "package.json"), "utf8")) as { version: string }
).version;
const scratch = mkdtempSync(path.join(tmpdir(), "payonce-playwright-tarball-"));
// `npm run` exports its own prefix: the scratch project's npm must use its own.
const env: NodeJS.ProcessEnv = { ...process.env };
for (const name of Object.keys(env)) if (/^npm_config_(local_)?prefix$/i.test(name)) delete env[name];

function npm(args: string[], cwd: string) {
  const result = spawnSync("npm", args, { cwd, env, encoding: "utf8" });
  assert.equal(result.status, 0, `npm ${args.join(" ")}: ${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

const SPEC = `
import Stripe from "stripe";
import { expect } from "@playwright/test";
import { expectDuplicate, expectExactlyOnce, stripeTest as test } from "@payonce/playwright";

const ACCOUNT = "sk_test_tarball";
const visa = { amount: 2000, currency: "usd", payment_method: "pm_card_visa", confirm: true, automatic_payment_methods: { enabled: true, allow_redirects: "never" } };
const sdk = (port) => new Stripe(ACCOUNT, { host: "127.0.0.1", port, protocol: "http", maxNetworkRetries: 0, telemetry: false });
const quick = { timeoutMs: 5000, stableMs: 300 };

test("one Idempotency-Key sent twice: exactly one PaymentIntent and one charge on the ledger", async ({ stripe, stripeServer }) => {
  const client = sdk(stripeServer.port);
  await client.paymentIntents.create(visa, { idempotencyKey: "order-1" });
  await client.paymentIntents.create(visa, { idempotencyKey: "order-1" });
  await expectExactlyOnce(async () => (await stripe.paymentIntents(ACCOUNT)).length, quick);
  await expectExactlyOnce(async () => (await stripe.charges(ACCOUNT)).filter((c) => c.status === "succeeded").length, quick);
});

test("no key, sent twice: the duplicate is on the ledger", async ({ stripe, stripeUrl }) => {
  const client = sdk(Number(new URL(stripeUrl).port));
  await client.paymentIntents.create(visa);
  await client.paymentIntents.create(visa);
  expect(await expectDuplicate(async () => (await stripe.charges(ACCOUNT)).length, quick)).toBe(2);
});

test("each test starts from a reset server; faults, webhook duplicates, refunds and events", async ({ stripe, stripeServer }) => {
  expect(await stripe.paymentIntents(ACCOUNT)).toEqual([]);
  expect((await stripe.latency(20)).latencyMs).toBe(20);
  expect((await stripe.duplicateWebhooks(2)).webhooks.duplicates).toBe(2);
  await stripe.fail("/v1/payment_intents", "500");
  const client = sdk(stripeServer.port);
  await expect(client.paymentIntents.create(visa)).rejects.toMatchObject({ statusCode: 500 });
  const pi = await client.paymentIntents.create(visa);
  await client.refunds.create({ payment_intent: pi.id });
  expect((await stripe.refunds(ACCOUNT)).map((r) => r.payment_intent)).toEqual([pi.id]);
  expect((await stripe.events(ACCOUNT, "payment_intent.succeeded")).map((e) => e.objectId)).toEqual([pi.id]);
});
`;

describe("@payonce/playwright from its tarball", () => {
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it("installs with @payonce/stripe-local's tarball alone, and a Playwright spec uses its fixtures, control and assertions", { timeout: 400_000 }, () => {
    npm(["pack", "--pack-destination", scratch], STRIPE_LOCAL);
    npm(["pack", "--pack-destination", scratch], PACKAGE);
    const tarballs = readdirSync(scratch).filter((f) => f.endsWith(".tgz"));
    const tarball = tarballs.find((f) => f.startsWith("payonce-playwright-"));
    assert.match(tarball ?? "", /^payonce-playwright-\d+\.\d+\.\d+\.tgz$/);
    const contents = spawnSync("tar", ["-tzf", path.join(scratch, tarball!)], { encoding: "utf8" }).stdout.split("\n");
    for (const file of ["package/dist/index.js", "package/dist/index.d.ts", "package/README.md", "package/LICENSE"]) {
      assert.ok(contents.includes(file), `${file} is in the tarball`);
    }
    assert.deepEqual(
      contents.filter((f) => f.startsWith("package/test/") || f.endsWith(".tsbuildinfo")),
      [],
    );

    const app = path.join(scratch, "app");
    mkdirSync(path.join(app, "e2e"), { recursive: true });
    writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "scratch-app", private: true, type: "module" }));
    npm(
      [
        "install",
        "--no-audit",
        "--no-fund",
        "--prefer-offline",
        ...tarballs.map((f) => path.join(scratch, f)),
        `@playwright/test@${PLAYWRIGHT_VERSION}`,
        "stripe@^23",
      ],
      app,
    );
    writeFileSync(path.join(app, "playwright.config.js"), `export default { testDir: "e2e", workers: 1, reporter: "list" };\n`);
    writeFileSync(path.join(app, "e2e", "ledger.spec.js"), SPEC);

    const run = spawnSync("npx", ["--no-install", "playwright", "test"], { cwd: app, env: { ...env, CI: "1" }, encoding: "utf8" });
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /3 passed/);
    console.log(`tarballs ${tarballs.join(", ")}; npx playwright test in the scratch app:\n${run.stdout.trim()}`);
  });
});
