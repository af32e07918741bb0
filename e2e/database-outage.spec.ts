// PostgreSQL goes away mid-load (every connection cut, new ones refused, as
// when the server stops), then comes back. While it is down every answer is a
// 503 problem with Retry-After; clients that retry with their key end with
// exactly one paid order and one charge each. Without the idempotency key,
// the same retries pay twice. (Before issue 10 these were empty 500s.)
import { randomUUID } from "node:crypto";
import net from "node:net";
import { db } from "../lib/db/db.server";
import { ALL_OFF } from "../lib/demo/protections";
import { saveProtections } from "../lib/demo/protections.server";
import { instancePort, startApp, stopApp, type AppInstance } from "./app-instance";
import { STRIPE } from "../tests/local-stripe-control";
import { expect, paymentIntentsOf, setStripeLatency, test } from "./fixtures";

const DATABASE_URL = process.env.DATABASE_URL ?? "";
const CLIENTS = 12;

test.skip(!DATABASE_URL.startsWith("postgres"), "PostgreSQL's outage; SQLite's busy database is database-busy.spec.ts");

/** A TCP proxy in front of PostgreSQL that can cut every connection and refuse new ones. */
async function databaseProxy(port: number) {
  const target = new URL(DATABASE_URL);
  const sockets = new Set<net.Socket>();
  let up = true;
  const server = net.createServer((client) => {
    if (!up) return client.destroy();
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    const close = () => [client, upstream].forEach((s) => (s.destroy(), sockets.delete(s)));
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("error", close).on("close", close);
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  const url = new URL(DATABASE_URL);
  url.host = `127.0.0.1:${port}`;
  return {
    url: url.toString(),
    down() {
      up = false;
      for (const s of sockets) s.destroy();
    },
    up: () => (up = true),
    close: () => new Promise((r) => server.close(r)),
  };
}

/** How many API requests the local Stripe server has received for the app's account. */
const stripeRequests = async () =>
  ((await (await fetch(`${STRIPE}/_control/ledger?account=sk_test_payonce_local`)).json()) as { counters: { requests: number } | null }).counters?.requests ??
  0;

type Seen = { status: number; problem: boolean; retryAfter: boolean };

/** One customer: retries with the same key until a final answer (or 45 s). */
async function customer(base: string, token: string, key: string, seen: Seen[]) {
  const until = Date.now() + 45_000;
  while (Date.now() < until) {
    const response = await fetch(`${base}/api/orders`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Idempotency-Key": key, "Content-Type": "application/json" },
      body: JSON.stringify({ email: "outage@example.com", items: [{ slug: "bottle", quantity: 1 }], paymentMethod: "pm_card_visa" }),
    });
    await response.arrayBuffer();
    seen.push({
      status: response.status,
      problem: response.headers.get("content-type") === "application/problem+json",
      retryAfter: !!response.headers.get("retry-after"),
    });
    if (response.status === 201) return;
    await new Promise((r) => setTimeout(r, 250));
  }
}

for (const mode of ["protected", "unprotected"] as const) {
  test(`the database cut mid-load and back (${mode}): only 503 problems while down, then ${mode === "protected" ? "one paid order and one charge per customer" : "duplicate charges"}`, async () => {
    test.setTimeout(120_000);
    const proxy = await databaseProxy(instancePort(110));
    let app: AppInstance | undefined;
    try {
      app = await startApp(instancePort(104), { DATABASE_URL: proxy.url, IDEMPOTENCY_LEASE_SECONDS: "2", DATABASE_POOL_TIMEOUT_MS: "1000" });
      await db.product.update({ where: { slug: "bottle" }, data: { stock: 10_000 } });
      const tokens = await Promise.all(
        Array.from({ length: CLIENTS }, async () => ((await (await fetch(`${app!.base}/api/sessions`, { method: "POST" })).json()) as { token: string }).token),
      );
      if (mode === "unprotected") for (const token of tokens) await saveProtections(token, ALL_OFF);
      // Slow payments, so that the cut finds every first request waiting for its charge.
      await setStripeLatency(600);

      const seen: Seen[] = [];
      const before = await stripeRequests();
      const done = Promise.all(tokens.map((token) => customer(app!.base, token, randomUUID(), seen)));
      // Cut while every customer's charge is under way at Stripe.
      await expect.poll(stripeRequests, { intervals: [20] }).toBeGreaterThanOrEqual(before + CLIENTS);
      proxy.down();
      await new Promise((r) => setTimeout(r, 3_000));
      proxy.up();
      await setStripeLatency(0);
      await done;

      const unexpected = seen.filter((s) => ![201, 409, 503].includes(s.status) || (s.status !== 201 && !(s.problem && s.retryAfter)));
      expect(unexpected, "only 201s, and 503/409 problems with Retry-After").toEqual([]);
      expect(seen.filter((s) => s.status === 503).length, "the outage was seen").toBeGreaterThan(0);
      const orders = await db.order.findMany({ where: { sessionId: { in: tokens } } });
      const charges = (await paymentIntentsOf(orders.map((o) => o.id))).flatMap((pi) => pi.charges).filter((c) => c.status === "succeeded");
      if (mode === "protected") {
        expect(orders.map((o) => o.status)).toEqual(Array(CLIENTS).fill("paid"));
        expect(charges).toHaveLength(CLIENTS);
      } else {
        expect(charges.length, "retries without the key charge again").toBeGreaterThan(CLIENTS);
      }
    } finally {
      await setStripeLatency(0);
      if (app) await stopApp(app);
      await proxy.close();
    }
  });
}
