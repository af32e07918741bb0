// The assertions against counts that change as a test watches them: they
// wait for the count to settle (not a fixed sleep), pass on the right count,
// and fail with every count they saw.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { countAt, expectDuplicate, expectExactlyOnce, settledCount } from "../src/index.ts";
import { formServer } from "./form-server.ts";

/** A count that takes these values, one per read, then stays at the last. */
function counting(...values: number[]) {
  let reads = 0;
  return () => values[Math.min(reads++, values.length - 1)]!;
}

const quick = { timeoutMs: 2_000, stableMs: 300, intervalMs: 50 };

describe("expectExactlyOnce", () => {
  it("passes once the count reaches 1 and holds still there", async () => {
    assert.equal(await expectExactlyOnce(counting(0, 0, 1), quick), 1);
  });

  it("fails on a duplicate that comes after the first, with the counts seen", async () => {
    await assert.rejects(expectExactlyOnce(counting(0, 1, 1, 2), quick), {
      message: "expected exactly once, but it happened 2 times (counts seen: 0 → 1 → 2)",
    });
  });

  it("fails when nothing happened, saying how long it waited", async () => {
    await assert.rejects(expectExactlyOnce(counting(0), { ...quick, timeoutMs: 300 }), {
      message: "expected exactly once, but it never happened within 300 ms (counts seen: 0)",
    });
  });

  it("fails when the count never holds still", async () => {
    let n = 0;
    await assert.rejects(
      expectExactlyOnce(() => ++n, { ...quick, timeoutMs: 300 }),
      /never held still for 300 ms \(counts seen: 1 → 2 → /,
    );
  });
});

describe("expectDuplicate", () => {
  it("passes when the count reaches 2 or more, and answers where it settled", async () => {
    assert.equal(await expectDuplicate(counting(0, 1, 2, 3), quick), 3);
  });

  it("fails when the count stays at 1, with the counts seen", async () => {
    await assert.rejects(expectDuplicate(counting(0, 1), { ...quick, timeoutMs: 300 }), {
      message: "expected a duplicate (2 or more), but counted 1 after 300 ms (counts seen: 0 → 1)",
    });
  });
});

describe("settledCount", () => {
  it("answers the count once it is above 0 and held still", async () => {
    assert.equal(await settledCount(counting(0, 2, 4, 4), quick), 4);
  });

  it("fails when it stays at 0", async () => {
    await assert.rejects(settledCount(counting(0), { ...quick, timeoutMs: 200 }), /did not settle above 0 within 200 ms \(counts seen: 0\)/);
  });
});

describe("countAt", () => {
  it("reads a count from a URL's JSON ({ count } by default, or what pick finds)", async () => {
    const server = await formServer();
    try {
      await fetch(`${server.url}/submit`, { method: "POST", redirect: "manual" });
      assert.equal(await countAt(`${server.url}/count`)(), 1);
      assert.equal(await countAt(`${server.url}/count`, (body) => (body as { count: number }).count * 10)(), 10);
      await assert.rejects(Promise.resolve(countAt(`${server.url}/nothing`)()), /GET .*\/nothing: 404/);
      await assert.rejects(Promise.resolve(countAt(`${server.url}/count`, () => "many")()), /answered no count \("many"\)/);
    } finally {
      await server.close();
    }
  });
});
