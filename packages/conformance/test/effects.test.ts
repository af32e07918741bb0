// A count is read from what a count URL or command gives: plain numbers,
// JSON numbers, {"count": n}, arrays, or the value at a path; anything else
// is an error that says what it got, never a silent zero.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { countFromCommand, readCount } from "../src/effects.ts";

describe("readCount", () => {
  it("reads a number, psql's padded one, JSON's, a count field, an array's length", () => {
    assert.equal(readCount("3"), 3);
    assert.equal(readCount("    12\n"), 12);
    assert.equal(readCount('{"count": 4, "other": 9}'), 4);
    assert.equal(readCount("[1, 2]"), 2);
  });

  it("reads the value at a path: dots and array indexes, an array there counted", () => {
    const text = '{"data": {"total": 7, "orders": [{"id": 1}, {"id": 2}], "pages": [{"n": 5}]}}';
    assert.equal(readCount(text, "data.total"), 7);
    assert.equal(readCount(text, "data.orders"), 2);
    assert.equal(readCount(text, "data.pages.0.n"), 5);
  });

  it("refuses what is no count, and says what it got", () => {
    assert.throws(() => readCount(""), /^Error: No count in ""\.$/);
    assert.throws(() => readCount("three"), /No count in "three"/);
    assert.throws(() => readCount('{"total": 3}'), /No count in/);
    assert.throws(() => readCount('{"data": {}}', "data.total"), /No count at "data\.total"/);
    assert.throws(() => readCount("-1"), /No count/);
    assert.throws(() => readCount("2.5"), /No count/);
  });
});

describe("countFromCommand", () => {
  it("runs the command in a shell and reads its output", async () => {
    assert.equal(await countFromCommand(`"${process.execPath}" -e "console.log(JSON.stringify({n: [1, 2, 3]}))"`, { path: "n", timeoutMs: 5000 })(), 3);
  });

  it("fails with the command's failure", async () => {
    await assert.rejects(countFromCommand("exit 3", { timeoutMs: 5000 })(), /Command failed: exit 3/);
  });
});
