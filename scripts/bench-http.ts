// npm run bench:http: the app over HTTP under load, with autocannon, against
// the production build (built first if there is none), on loopback only, at
// concurrency 1, 8 and 32, on SQLite and (with DATABASE_URL=postgresql://…)
// PostgreSQL: new orders and replays through the JSON API, beside the app's
// cheapest routes (the ceiling), and new orders with every protection off, no
// idempotency record at all (the baseline: what protection costs).
// LOCAL_STRIPE_LATENCY_MS=300 npm run bench:http: the local Stripe server
// answers each call that much later, as Stripe itself does (docs/benchmarks.md).
import { randomUUID } from "node:crypto";
import path from "node:path";
import autocannon from "autocannon";
import { ensureBuild, fmt, openShop, perEngine, table } from "./bench-engines";
import { throughputByConnections } from "./charts";
import { root } from "./scratch-env";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const STRIPE_LATENCY_MS = Number(process.env.LOCAL_STRIPE_LATENCY_MS ?? 0); // the scratch world's local server inherits it
const CONCURRENCY = [1, 8, 32];
const PORT = Number(process.env.BENCH_HTTP_PORT ?? 3210); // BENCH_HTTP_PORT and BENCH_HTTP_STRIPE_PORT: to run beside another run
const base = `http://127.0.0.1:${PORT}`;

type Row = { scenario: string; connections: number; rps: number; p50: number; p99: number; failed: number };
type Result = { engine: string; rows: Row[] };

const SCENARIOS = ["trivial: GET /api/openapi.json", "one read: GET /api/products", "replay", "new order", "new order, no idempotency (baseline)"] as const;

async function measure(): Promise<Result> {
  const { db } = await import("../lib/db/db.server");
  const { saveProtections } = await import("../lib/demo/protections.server");
  const { ALL_OFF } = await import("../lib/demo/protections");
  const { env } = await import("../lib/env.server");
  const shop = await openShop([PORT]);
  try {
    const [protectedToken, baselineToken] = [await shop.token(), await shop.token()];
    await saveProtections(baselineToken, ALL_OFF);
    const order = (bearer: string) => ({
      method: "POST" as const,
      path: "/api/orders",
      headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
      body: JSON.stringify({ email: "bench@example.com", items: [{ slug: "mug", quantity: 1 }], paymentMethod: "pm_card_visa" }),
    });
    const replayKey = randomUUID();
    const first = await fetch(`${base}/api/orders`, { ...order(protectedToken), headers: { ...order(protectedToken).headers, "idempotency-key": replayKey } });
    if (first.status !== 201) throw new Error(`the order to replay answered ${first.status}`);
    const newKey = (request: ReturnType<typeof order>) => ({
      ...request,
      setupRequest: (req: autocannon.Request) => ({ ...req, headers: { ...req.headers, "idempotency-key": randomUUID() } }),
    });
    const requests: Record<(typeof SCENARIOS)[number], autocannon.Request> = {
      "trivial: GET /api/openapi.json": { method: "GET", path: "/api/openapi.json" },
      "one read: GET /api/products": { method: "GET", path: "/api/products" },
      replay: { ...order(protectedToken), headers: { ...order(protectedToken).headers, "idempotency-key": replayKey } },
      "new order": newKey(order(protectedToken)),
      "new order, no idempotency (baseline)": newKey(order(baselineToken)),
    };
    const rows: Row[] = [];
    for (const connections of CONCURRENCY) {
      for (const scenario of SCENARIOS) {
        const run = (duration: number) => autocannon({ url: base, connections, duration, requests: [requests[scenario]] });
        await run(1); // warm-up: compiled routes, filled pools
        const r = await run(SECONDS);
        rows.push({ scenario, connections, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, failed: r.non2xx + r.errors + r.timeouts });
        process.stdout.write(".");
      }
    }
    console.log();
    return { engine: env().database.provider, rows };
  } finally {
    shop.stop();
    await db.$disconnect();
  }
}

function report(results: Result[]) {
  for (const { engine, rows } of results) {
    console.log(
      `\nPayOnce over HTTP on ${engine}: next start, loopback, local Stripe ${STRIPE_LATENCY_MS ? `answering ${STRIPE_LATENCY_MS} ms late` : "with no added latency"}, ${SECONDS} s per cell\n`,
    );
    table(
      ["scenario", "connections", "requests/s", "p50 ms", "p99 ms", "not 2xx"],
      rows.map((r) => [r.scenario, String(r.connections), fmt(r.rps, 0), fmt(r.p50, 1), fmt(r.p99, 1), String(r.failed)]),
    );
    const rps = (scenario: (typeof SCENARIOS)[number], c: number) => rows.find((r) => r.scenario === scenario && r.connections === c)!.rps;
    console.log();
    table(
      ["connections", "replay / trivial", "replay / one read", "new order / baseline"],
      CONCURRENCY.map((c) => [
        String(c),
        fmt(rps("replay", c) / rps("trivial: GET /api/openapi.json", c)),
        fmt(rps("replay", c) / rps("one read: GET /api/products", c)),
        fmt(rps("new order", c) / rps("new order, no idempotency (baseline)", c)),
      ]),
    );
  }
}

if (!ensureBuild()) process.exit(1);
const results = await perEngine("scripts/bench-http.ts", "benchhttp", process.env.BENCH_HTTP_STRIPE_PORT ?? "12115", measure);
if (!results) process.exit(1);
report(results);
// The picture of the tables above (docs/benchmarks.md): BENCH_HTTP_CHART moves it.
const chart =
  process.env.BENCH_HTTP_CHART ?? path.join(root, "docs", "images", `http-throughput${STRIPE_LATENCY_MS ? `-stripe-${STRIPE_LATENCY_MS}ms` : ""}.svg`);
await throughputByConnections(
  results.flatMap(({ engine, rows }) => rows.map(({ scenario, connections, rps }) => ({ engine, scenario, connections, rps }))),
  chart,
  `Requests/s over HTTP by connections (local Stripe ${STRIPE_LATENCY_MS ? `${STRIPE_LATENCY_MS} ms late` : "instant"})`,
);
console.log(`\nchart: ${path.relative(root, chart)}`);
