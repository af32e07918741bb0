// Tracing switched on as a person does it (OTEL_EXPORTER_OTLP_ENDPOINT, the
// real Node SDK over OTLP/HTTP in JSON) and seen in `npm run traces`: six
// clicks on Pay with the UI guard off print six traces, one whose checkout is
// `new` and five `replayed`, caught by the idempotency key; and the tree of
// the first has its phases, a transaction each (Prisma's span), and its
// Stripe call outside them. Off: the SDK is not started.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { after, describe, it } from "node:test";
import { trace } from "@opentelemetry/api";
import { ALL_ON } from "../lib/demo/protections";
import { checkout } from "../lib/orders/checkout.server";
import { startTracing, tracingWanted } from "../lib/telemetry/tracing.server";
import { demoSession } from "./demo-session";
import { newCart } from "./helpers";
import { until } from "./wait";

const port = 20_000 + Math.floor(Math.random() * 10_000);

describe("npm run traces, fed by the shop's own tracing", () => {
  const viewer = spawn(process.execPath, ["--import", "tsx", "scripts/traces.ts"], { env: { ...process.env, TRACES_PORT: String(port) } });
  let printed = "";
  viewer.stdout.setEncoding("utf8").on("data", (chunk: string) => (printed += chunk));
  viewer.stderr.setEncoding("utf8").on("data", (chunk: string) => (printed += chunk));
  after(() => {
    viewer.kill("SIGKILL");
    // What the viewer printed, kept (reports/ is CI's): a failure here is read against it.
    mkdirSync("reports", { recursive: true });
    writeFileSync("reports/trace-viewer.txt", printed);
  });

  it("is off without OTEL_EXPORTER_OTLP_ENDPOINT, and with OTEL_SDK_DISABLED=true", () => {
    assert.equal(tracingWanted({}), false);
    assert.equal(tracingWanted({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://localhost:4318", OTEL_SDK_DISABLED: "true" }), false);
    assert.equal(tracingWanted({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://localhost:4318/v1/traces" }), true);
  });

  it("six clicks, UI guard off: six traces printed, one `new` and five `replayed` caught by the idempotency key", async () => {
    await until(() => printed.includes("OTLP/HTTP (JSON)"), "the viewer to listen");
    Object.assign(process.env, { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`, OTEL_EXPORTER_OTLP_PROTOCOL: "http/json" });
    const sdk = await startTracing("payonce-test");
    assert.ok(sdk, "tracing started");
    const { session, policy } = await demoSession({ ...ALL_ON, uiGuard: false });
    const cart = await newCart(session.id);
    const req = { session, policy, idempotencyKey: randomUUID(), input: { cartId: cart.id, email: "v@example.com", paymentMethod: "pm_card_visa" as const } };
    for (let i = 0; i < 6; i++) await trace.getTracer("test").startActiveSpan("POST /checkout", (span) => checkout(req).finally(() => span.end()));
    await sdk.shutdown(); // flushes the batch to the viewer

    await until(() => (printed.match(/^trace /gm) ?? []).length >= 6, "six traces printed", 15_000);
    const checkouts = printed.split("\n").filter((l) => l.includes("idempotency checkout"));
    assert.deepEqual(
      checkouts.map((l) => /outcome=(\w+)/.exec(l)?.[1]),
      ["new", "replayed", "replayed", "replayed", "replayed", "replayed"],
      printed,
    );
    assert.equal((printed.match(/CAUGHT BY=idempotencyKey/g) ?? []).length, 5, printed);
    assert.equal((printed.match(/↪ trace /g) ?? []).length, 5, "each replay links to the first trace");
    const first = printed.split("\n\n").find((block) => /^trace /.test(block)) ?? "";
    assert.match(first, /\(payonce-test\)/);
    assert.match(first, /\n {4}idempotency checkout .*outcome=new/);
    assert.match(first, /\n {6}idempotency\.phase started .*reached=order_created/);
    // Each phase is one transaction (Prisma's span for it, and none of its per-query spans), and the
    // Stripe call sits beside the charge phase's transaction, never inside one.
    assert.match(first, /\n {6}idempotency\.phase order_created .*\n {8}stripe POST \/v1\/payment_intents .*status=200\n {8}prisma:client:transaction /);
    assert.equal((first.match(/prisma:client:transaction/g) ?? []).length, 3, first);
    assert.doesNotMatch(printed, /prisma:client:(operation|db_query|serialize|compile)/);
  });
});
