// The chaos campaign's own parts that can be wrong quietly: a seed must replay
// the same draws (or `--seed N` replays nothing), and the browser customers must
// post a Server Action's form as a browser does (or every form post is a 400
// and the campaign tests nothing: its first run did exactly that).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formsOf } from "../scripts/chaos/customers";
import { Exchanges } from "../scripts/chaos/exchanges";
import { random } from "../scripts/chaos/random";

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
