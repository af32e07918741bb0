// npm run bench: what idempotency costs and saves, measured in one run, in a
// scratch database and local Stripe server (scripts/scratch-env.ts).
// PostgreSQL when DATABASE_URL points at it, SQLite otherwise.
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { withScratchEnv } from "./scratch-env";

type Row = { name: string; n: number; totalMs: number; samples: number[] };

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;
const fmt = (ms: number) => ms.toFixed(2);

function table(rows: Row[]) {
  const header = ["case", "n", "total ms", "ms/op", "p50 ms", "p95 ms"];
  const lines = rows.map((r) => [r.name, String(r.n), fmt(r.totalMs), fmt(r.totalMs / r.n), fmt(percentile(r.samples, 50)), fmt(percentile(r.samples, 95))]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const print = (cells: string[]) => console.log(cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  "));
  print(header);
  print(widths.map((w) => "-".repeat(w)));
  lines.forEach(print);
}

async function main(): Promise<number> {
  // Imported only now: they read the scratch world's environment.
  const { checkout } = await import("../lib/checkout.server");
  const { claim, requestFingerprint } = await import("../lib/idempotency.server");
  const { db } = await import("../lib/db.server");
  const { ALL_ON } = await import("../lib/demo/protections");
  const { newCart, newSession } = await import("../tests/helpers");

  const N = Number(process.env.BENCH_N ?? 30);
  const rows: Row[] = [];
  async function measure(name: string, n: number, op: (i: number) => Promise<unknown>) {
    const samples: number[] = [];
    const start = performance.now();
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await op(i);
      samples.push(performance.now() - t);
    }
    rows.push({ name, n, totalMs: performance.now() - start, samples });
  }

  const requests = await Promise.all(
    Array.from({ length: N }, async () => {
      const session = await newSession(ALL_ON);
      const cart = await newCart(session.id);
      return { session, idempotencyKey: randomUUID(), input: { cartId: cart.id, email: "bench@example.com", paymentMethod: "pm_card_visa" as const } };
    }),
  );
  await measure("checkout, new key (order + Stripe + settle)", N, (i) => checkout(requests[i]!));
  await measure("checkout, same key again (replay)", N, (i) => checkout(requests[i]!));

  const sessionId = (await newSession()).id;
  const fingerprint = requestFingerprint("POST", "/bench", {});
  await measure("claim of a new key", N * 5, () => claim({ sessionId, key: randomUUID(), fingerprint }));

  const burst = 200;
  const key = randomUUID();
  const start = performance.now();
  const claims = await Promise.all(Array.from({ length: burst }, () => claim({ sessionId, key, fingerprint })));
  const burstMs = performance.now() - start;
  rows.push({ name: `${burst} concurrent claims of one key`, n: burst, totalMs: burstMs, samples: [burstMs / burst] });

  const provider = (await import("../lib/env.server")).env().database.provider;
  console.log(`\nPayOnce benchmark on ${provider}, local Stripe with no added latency (${new Date().toISOString()})\n`);
  table(rows);
  const [fresh, replay, newClaim] = rows;
  console.log(
    `\nreplay / new checkout: ${(replay!.totalMs / fresh!.totalMs).toFixed(3)} (a retry costs this fraction of the first request, and charges nothing)`,
  );
  console.log(
    `concurrent claims of one key: ${claims.filter((c) => c.kind === "owned").length} owned, ${claims.filter((c) => c.kind === "in_progress").length} told to wait`,
  );
  console.log(
    `claim of a new key / new checkout: ${(newClaim!.totalMs / newClaim!.n / (fresh!.totalMs / fresh!.n)).toFixed(3)} (the idempotency record's share of a checkout)`,
  );
  await db.$disconnect();
  return 0;
}

process.exit(
  await withScratchEnv("bench", "12114", async (env) => {
    Object.assign(process.env, env);
    return main();
  }),
);
