// The package as a user gets it: `npm pack` makes the tarball (dist/ built by
// its prepack), a scratch project installs it alone from the npm registry (no
// workspace, no other PayOnce package: its dependencies come from the
// registry, or npm's cache once they have been fetched), then `npx
// payonce-stripe --help` answers, the installed command serves a PaymentIntent
// that the real `stripe` SDK creates, confirms and replays under the same
// Idempotency-Key, and start() from the installed module does the same.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { listening, node, type Run } from "./processes.ts";

const PACKAGE = fileURLToPath(new URL("..", import.meta.url));
const scratch = mkdtempSync(path.join(tmpdir(), "payonce-stripe-tarball-"));
// `npm run` exports its own prefix: the scratch project's npm must use its own.
const env: NodeJS.ProcessEnv = { ...process.env };
for (const name of Object.keys(env)) if (/^npm_config_(local_)?prefix$/i.test(name)) delete env[name];

function npm(args: string[], cwd: string) {
  const result = spawnSync("npm", args, { cwd, env, encoding: "utf8" });
  assert.equal(result.status, 0, `npm ${args.join(" ")}: ${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

// What the scratch project runs with the installed package: the SDK pointed at the server, a payment, its replay.
const PAY = `
import Stripe from "stripe";
import { start, STRIPE_API_VERSION } from "@payonce/stripe-local";

async function pay(port) {
  const stripe = new Stripe("sk_test_tarball", { host: "127.0.0.1", port, protocol: "http", maxNetworkRetries: 0, telemetry: false });
  const params = { amount: 2000, currency: "usd", payment_method: "pm_card_visa", confirm: true, automatic_payment_methods: { enabled: true, allow_redirects: "never" } };
  const first = await stripe.paymentIntents.create(params, { idempotencyKey: "tarball-order-1" });
  const again = await stripe.paymentIntents.create(params, { idempotencyKey: "tarball-order-1" });
  return { id: first.id, status: first.status, replayed: again.lastResponse.headers["idempotent-replayed"] ?? null, sameId: again.id === first.id, version: first.lastResponse.headers["stripe-version"] };
}

const bin = await pay(Number(process.argv[2]));
const server = await start({ port: 0, log: () => {} });
const api = await pay(server.port);
await server.close();
console.log(JSON.stringify({ bin, api, STRIPE_API_VERSION }));
`;

describe("@payonce/stripe-local from its tarball", () => {
  let server: Run | undefined;
  after(async () => {
    server?.child.kill("SIGTERM");
    await server?.exited;
    rmSync(scratch, { recursive: true, force: true });
  });

  it("installs alone, answers --help, and serves the stripe SDK: a PaymentIntent created, confirmed and replayed", { timeout: 300_000 }, async () => {
    npm(["pack", "--pack-destination", scratch], PACKAGE);
    const [tarball] = readdirSync(scratch).filter((f) => f.endsWith(".tgz"));
    assert.match(tarball ?? "", /^payonce-stripe-local-\d+\.\d+\.\d+\.tgz$/);
    const contents = spawnSync("tar", ["-tzf", path.join(scratch, tarball!)], { encoding: "utf8" }).stdout.split("\n");
    for (const file of ["package/dist/cli.js", "package/dist/index.d.ts", "package/spec/requests.json", "package/README.md", "package/LICENSE"]) {
      assert.ok(contents.includes(file), `${file} is in the tarball`);
    }
    assert.deepEqual(
      contents.filter((f) => f.startsWith("package/test/") || f.endsWith(".tsbuildinfo")),
      [],
    );

    const app = path.join(scratch, "app");
    mkdirSync(app);
    writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "scratch-app", private: true, type: "module" }));
    npm(["install", "--no-audit", "--no-fund", "--prefer-offline", path.join(scratch, tarball!), "stripe@^23"], app);

    const help = spawnSync("npx", ["--no-install", "payonce-stripe", "--help"], { cwd: app, env, encoding: "utf8" });
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^Usage: payonce-stripe \[options\]/);

    // The installed command itself (not through npx, so that stopping it stops the server).
    const bin = realpathSync(path.join(app, "node_modules", ".bin", "payonce-stripe"));
    server = node([bin, "--state", "memory", "--port", "0"], app);
    const port = await listening(server);

    writeFileSync(path.join(app, "pay.mjs"), PAY);
    const paid = spawnSync(process.execPath, ["pay.mjs", String(port)], { cwd: app, encoding: "utf8" });
    assert.equal(paid.status, 0, paid.stderr);
    const result = JSON.parse(paid.stdout) as Record<"bin" | "api", Record<string, unknown>> & { STRIPE_API_VERSION: string };
    for (const run of [result.bin, result.api]) {
      assert.match(String(run.id), /^pi_/);
      assert.deepEqual([run.status, run.replayed, run.sameId, run.version], ["succeeded", "true", true, result.STRIPE_API_VERSION]);
    }
    console.log(`tarball ${tarball}: --help exit 0; bin on port ${port}: ${JSON.stringify(result.bin)}; start(): ${JSON.stringify(result.api)}`);
  });
});
