// npm run test:unit: lib's tests (node's test runner, tests/*.test.ts), the
// kit's (packages/kit/test/*.test.ts), the conformance checker's
// (packages/conformance/test/*.test.ts: servers of its own), the local Stripe
// server's (packages/stripe-local/test/*.test.ts: servers of its own) and the
// Playwright kit's (packages/playwright/test/*.test.ts: a browser and servers
// of its own) in a scratch world of their own (scripts/scratch-env.ts). Files
// given after `--` run alone: npm run test:unit -- tests/refunds.test.ts
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { root, withScratchEnv } from "./scratch-env";
import { SERVER_NODE_ARGS } from "./node-args";

const chosen = process.argv.slice(2);
// The shop's tests, the kit's (packages/kit/test: on the same scratch database), the checker's, the local Stripe's and the Playwright kit's.
const files =
  chosen.length > 0
    ? chosen
    : ["tests", "packages/kit/test", "packages/conformance/test", "packages/stripe-local/test", "packages/playwright/test"].flatMap((dir) =>
        readdirSync(path.join(root, dir))
          .filter((f) => f.endsWith(".test.ts"))
          .map((f) => path.join(dir, f)),
      );

// The local Stripe server's output is kept per run (reports/ is not
// committed); when a test fails, its end is printed, so the failure explains
// itself from CI's output too.
const reports = path.join(root, "reports");
mkdirSync(reports, { recursive: true });
const stripeLog = path.join(reports, `unit-stripe-${new Date().toISOString().replace(/[:.]/g, "-")}-${process.pid}.log`);

// Its local Stripe server's port (UNIT_STRIPE_PORT to run beside another run).
const status = await withScratchEnv(
  "unit",
  process.env.UNIT_STRIPE_PORT ?? "12113",
  async (env) => {
    const run = spawnSync(process.execPath, [...SERVER_NODE_ARGS, "--test", "--test-concurrency=1", ...files], { cwd: root, env, stdio: "inherit" });
    // lib's tests always talk to the local server; a Stripe key only adds the
    // conformance suite's second run, against Stripe test mode.
    const key = process.env.STRIPE_SECRET_KEY;
    if (run.status !== 0 || !key?.startsWith("sk_test_")) return run.status ?? 1;
    const real = spawnSync(process.execPath, [...SERVER_NODE_ARGS, "--test", "packages/stripe-local/test/server.test.ts"], {
      cwd: root,
      env: { ...env, STRIPE_SECRET_KEY: key, PAYONCE_CONFORMANCE_TARGET: "stripe" },
      stdio: "inherit",
    });
    return real.status ?? 1;
  },
  { stripeLog },
);
// (No log when the server never started: the scratch world said why, e.g. its port was taken.)
if (status !== 0 && existsSync(stripeLog)) {
  const lines = readFileSync(stripeLog, "utf8").trimEnd().split("\n");
  console.error(`\n--- the local Stripe server's last ${Math.min(lines.length, 60)} lines (all of them: ${path.relative(root, stripeLog)})`);
  console.error(lines.slice(-60).join("\n"));
}
process.exit(status);
