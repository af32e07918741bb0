// npm run bench:storm: two app instances (next start) on one PostgreSQL, as
// production runs them, under two storms through the JSON API:
//   1. 1,000 identical orders at once (one session, one key, one body), split
//      over both instances: one order, one charge, no 5xx; and the same storm
//      with every protection off, to see what the protections prevent (and
//      that an exhausted pool answers 503 problems, never empty 500s);
//   2. --orders N (default 10,000) orders, 5 % of them sent twice with the
//      same key, shuffled, 64 in flight: orders = distinct keys.
// DATABASE_URL must point at PostgreSQL. Pool settings: DATABASE_POOL_SIZE,
// DATABASE_POOL_TIMEOUT_MS (lib/env.server.ts), per instance.
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { ensureBuild, fmt, openShop, perEngine, table } from "./bench-engines";

const { values: args } = parseArgs({ options: { orders: { type: "string", default: "10000" } } });
const ORDERS = Number(args.orders);
const PORTS = [3220, 3221];
const bases = PORTS.map((p) => `http://127.0.0.1:${p}`);

type Storm = { name: string; requests: number; seconds: number; statuses: Record<string, number>; orders: number; charges: number; expectedOrders: number };

/** A status, and for a 5xx whether it was a problem document (503 problem+json) or not. */
const statusOf = (r: Response) =>
  r.status >= 500 && !r.headers.get("content-type")?.includes("problem+json") ? `${r.status} (not a problem)` : String(r.status);

async function measure(): Promise<Storm[]> {
  const { db } = await import("../lib/db/db.server");
  const { saveProtections } = await import("../lib/demo/protections.server");
  const { ALL_OFF } = await import("../lib/demo/protections");
  const { paymentIntentsFor } = await import("../tests/local-stripe-control");
  const shop = await openShop(PORTS);
  try {
    const { token } = shop;
    const body = JSON.stringify({ email: "storm@example.com", items: [{ slug: "mug", quantity: 1 }], paymentMethod: "pm_card_visa" });
    const post = (n: number, bearer: string, key: string) =>
      fetch(`${bases[n % bases.length]}/api/orders`, {
        method: "POST",
        headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json", "idempotency-key": key },
        body,
      });
    const truth = async (tokens: string[]) => {
      const orders = await db.order.findMany({ where: { sessionId: { in: tokens } }, select: { id: true } });
      const charges = (await paymentIntentsFor(orders.map((o) => o.id))).flatMap((pi) => pi.charges).filter((c) => c.status === "succeeded").length;
      return { orders: orders.length, charges };
    };
    const storms: Storm[] = [];

    for (const mode of ["protected", "unprotected"] as const) {
      const bearer = await token();
      if (mode === "unprotected") await saveProtections(bearer, ALL_OFF);
      const key = randomUUID();
      const statuses: Record<string, number> = {};
      const start = performance.now();
      await Promise.all(
        Array.from({ length: 1000 }, async (_, n) => {
          const status = await post(n, bearer, key).then(statusOf, () => "no answer");
          statuses[status] = (statuses[status] ?? 0) + 1;
        }),
      );
      const seconds = (performance.now() - start) / 1000;
      storms.push({ name: `1,000 identical orders at once (${mode})`, requests: 1000, seconds, statuses, ...(await truth([bearer])), expectedOrders: 1 });
    }

    // Distinct keys over 100 sessions, 5 % of them sent twice, shuffled.
    const tokens = await Promise.all(Array.from({ length: 100 }, token));
    const distinct = Array.from({ length: Math.round(ORDERS * 0.95) }, (_, n) => ({ bearer: tokens[n % tokens.length]!, key: randomUUID() }));
    const sends = [...distinct, ...distinct.slice(0, ORDERS - distinct.length)].sort(() => Math.random() - 0.5);
    const statuses: Record<string, number> = {};
    const start = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        while (next < sends.length) {
          const n = next++;
          const { bearer, key } = sends[n]!;
          // Told to retry (409: its first is still running; 502/503: a service was busy), it retries with the same key, as a client does.
          for (;;) {
            const response = await post(n, bearer, key).catch(() => null);
            const status = response ? statusOf(response) : "no answer";
            statuses[status] = (statuses[status] ?? 0) + 1;
            if (!["409", "502", "503"].includes(status)) break;
            await new Promise((r) => setTimeout(r, 200));
          }
        }
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    storms.push({
      name: `${ORDERS.toLocaleString("en")} orders, 5 % sent twice`,
      requests: sends.length,
      seconds,
      statuses,
      ...(await truth(tokens)),
      expectedOrders: distinct.length,
    });
    return storms;
  } finally {
    shop.stop();
    await db.$disconnect();
  }
}

if (!process.env.BENCH_ENGINE) {
  if (!/^postgres/.test(process.env.DATABASE_URL ?? "")) {
    console.error("bench:storm runs two app instances on one PostgreSQL: DATABASE_URL=postgresql://postgres@127.0.0.1/postgres npm run bench:storm");
    process.exit(1);
  }
}
if (!ensureBuild()) process.exit(1);
const results = await perEngine("scripts/bench-storm.ts", "benchstorm", "12116", measure, { only: "postgres" });
if (!results) process.exit(1);
console.log(`\nTwo app instances on one PostgreSQL (pool ${process.env.DATABASE_POOL_SIZE ?? 10} per instance), local Stripe with no added latency\n`);
table(
  ["storm", "requests", "seconds", "answers", "orders (expected)", "charges"],
  results[0]!.map((s) => [
    s.name,
    String(s.requests),
    fmt(s.seconds),
    Object.entries(s.statuses)
      .sort()
      .map(([status, n]) => `${status}×${n}`)
      .join(" "),
    `${s.orders} (${s.name.includes("unprotected") ? "duplicates" : s.expectedOrders})`,
    String(s.charges),
  ]),
);
