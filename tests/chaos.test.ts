// The chaos campaign's own parts that can be wrong quietly: a seed must replay
// the same draws (or `--seed N` replays nothing), and the browser customers must
// post a Server Action's form as a browser does (or every form post is a 400
// and the campaign tests nothing: its first run did exactly that), and a
// violation must find the server's own account of its request in the
// campaign's own logs (or a CI failure cannot explain itself: issue 25).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { format } from "node:util";
import { apiRoute } from "../lib/api/api-http.server";
import { formsOf } from "../scripts/chaos/customers";
import { Exchanges } from "../scripts/chaos/exchanges";
import { random } from "../scripts/chaos/random";
import { campaignLogDir, serverLines } from "../scripts/chaos/server-logs";

const draws = (seed: number) => {
  const r = random(seed);
  const lanes = [r.fork(), r.fork()];
  return lanes.map((lane) => Array.from({ length: 5 }, () => lane.int(0, 1_000_000)));
};

describe("chaos: random", () => {
  it("the same seed draws the same numbers, lane by lane; another seed does not", () => {
    assert.deepEqual(draws(42), draws(42));
    assert.notDeepEqual(draws(42), draws(43));
    const [a, b] = draws(42);
    assert.notDeepEqual(a, b, "each lane its own sequence");
  });

  it("int stays within its bounds, pick within its items", () => {
    const r = random(7);
    for (let i = 0; i < 1000; i++) {
      const n = r.int(3, 5);
      assert.ok(n >= 3 && n <= 5 && Number.isInteger(n));
      assert.ok(["a", "b"].includes(r.pick(["a", "b"])));
    }
  });
});

describe("chaos: formsOf", () => {
  it("keeps a Server Action's hidden fields, valueless ones too, and leaves radios and empty inputs to the customer", () => {
    const html = `<form action="" encType="multipart/form-data" method="POST"><input type="hidden" name="$ACTION_REF_3"/>
      <input type="hidden" name="$ACTION_3:0" value="{&quot;id&quot;:&quot;abc&quot;}"/><input type="email" name="email"/>
      <input type="radio" name="paymentMethod" value="pm_card_visa"/></form>
      <form method="post" action="/checkout/submit"><input type="hidden" name="cartId" value="c&amp;1"/></form>`;
    const [action, plain] = formsOf(html);
    assert.deepEqual(action?.fields, [
      ["$ACTION_REF_3", ""],
      ["$ACTION_3:0", '{"id":"abc"}'],
    ]);
    assert.equal(action?.action, null);
    assert.ok(action?.names.has("email") && action.names.has("paymentMethod"));
    assert.equal(plain?.action, "/checkout/submit");
    assert.deepEqual(plain?.fields, [["cartId", "c&1"]]);
  });
});

// Chaos seed 2112239493 (30 minutes, PostgreSQL): two customer lanes waited for
// ever on a request the shop had answered (its order finished in a second): a
// `fetch` that settled neither with the answer nor with its abort signal.
describe("chaos: exchanges", () => {
  it("chaos seed 2112239493: a request whose fetch never settles is given up at the client's own deadline", { timeout: 5_000 }, async (t) => {
    t.mock.method(globalThis, "fetch", () => new Promise(() => {}));
    const exchanges = new Exchanges(["http://127.0.0.1:9"], Date.now());
    const { verdict } = await exchanges.send(random(1), "c0-0-api", "POST /api/orders", "/api/orders", { method: "POST" }, 100);
    assert.equal(verdict, "retryable");
    assert.deepEqual(
      exchanges.list.map((e) => [e.status, e.detail]),
      [["cut", "the client gave up"]],
    );
  });
});

// CI's PostgreSQL leg (issue 25): a violation said only "500 internal-error", and the app's log that
// would have said why had been overwritten by the unprotected campaign that ran next.
describe("chaos: the server's log lines for a violation's request", () => {
  it("every request carries an X-Request-Id of its own, recorded with it (and its Idempotency-Key)", async (t) => {
    const sent: Headers[] = [];
    t.mock.method(globalThis, "fetch", async (_url: string, init: RequestInit) => {
      sent.push(new Headers(init.headers));
      return Object.defineProperty(new Response("{}", { status: 201 }), "url", { value: "http://127.0.0.1:9/api/orders" });
    });
    const exchanges = new Exchanges(["http://127.0.0.1:9"], Date.now());
    const init = { method: "POST", headers: { "idempotency-key": "k-1" } };
    await exchanges.send(random(1), "c0-0-api", "POST /api/orders", "/api/orders", init);
    await exchanges.send(random(1), "c0-0-api", "POST /api/orders", "/api/orders", init);
    const ids = sent.map((h) => h.get("x-request-id"));
    assert.deepEqual(
      exchanges.list.map((e) => [e.requestId, e.key]),
      ids.map((id) => [id, "k-1"]),
    );
    assert.notEqual(ids[0], ids[1]);
  });

  it("the app's unexpected-error line names the request, and serverLines quotes it with its stack, from the campaign's folder", async (t) => {
    const logged: string[] = [];
    t.mock.method(console, "error", (...args: unknown[]) => logged.push(format(...args)));
    const route = apiRoute(async () => {
      throw new Error("boom in the settle phase");
    });
    const request = (id: string) =>
      new Request("http://127.0.0.1/api/orders", { method: "POST", headers: { "x-request-id": id, "idempotency-key": `key-of-${id}` } });
    assert.equal((await route(request("req-1"))).status, 500);
    assert.equal((await route(request("bad\u00e9id"))).status, 500, "a header that is no short visible ASCII is not logged as sent");
    const parent = mkdtempSync(path.join(tmpdir(), "payonce-chaos-test-"));
    try {
      const campaign = { seed: 1, db: "postgres", unprotected: false };
      const dir = campaignLogDir(parent, campaign);
      assert.notEqual(campaignLogDir(parent, { ...campaign, unprotected: true }), dir, "the unprotected campaign writes elsewhere");
      writeFileSync(path.join(dir, "app-3240.log"), ["  ▲ Next.js", " ✓ Ready", ...logged, "GET /api/products (request req-10) ok", ""].join("\n"));
      writeFileSync(path.join(dir, "stripe.log"), "POST /v1/payment_intents 200\n");
      const lines = serverLines(dir, ["req-1"]);
      assert.match(lines[0]!, /^app-3240\.log: POST \/api\/orders failed \(request req-1, key key-of-req-1\): Error: boom in the settle phase$/);
      assert.ok(lines.length > 1 && lines.slice(1).every((l) => /^app-3240\.log: \s+at /.test(l)), lines.join("\n"));
      assert.ok(!lines.some((l) => l.includes("req-10") || l.includes("Ready")), "only that request's lines");
      assert.deepEqual(serverLines(dir, ["key-of-req-1"]), lines, "found by its Idempotency-Key too");
      assert.deepEqual(serverLines(dir, ["req-404"]), []);
      assert.ok(logged[1]!.includes("(request -, key -)"), logged[1]);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
