// The checker proven both ways, in process: a correct endpoint passes every
// rule (answering a concurrent duplicate with 409, or by waiting), and a
// naive one (check-then-insert, no fingerprint, no key syntax, only its
// successes kept) fails exactly the rules those mistakes break.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { checkConformance, type ConformanceOptions, type Report } from "../src/index.ts";
import { startEndpoint } from "./endpoints.ts";

type Endpoint = Awaited<ReturnType<typeof startEndpoint>>;

const BODY = '{"email":"c-{{unique}}@example.com","card":"visa"}';
const ERROR_BODY = '{"email":"d-{{unique}}@example.com","card":"declined"}';

const optionsFor = (endpoint: Endpoint, more: Partial<ConformanceOptions> = {}): ConformanceOptions => ({
  url: endpoint.url,
  body: BODY,
  errorBody: ERROR_BODY,
  countEffects: async () => endpoint.effects(),
  settleMs: 200,
  ...more,
});

const verdicts = (report: Report) => Object.fromEntries(report.results.map((r) => [r.id, r.verdict]));
const evidence = (report: Report, id: string) => report.results.find((r) => r.id === id)!.evidence;
const failed = (report: Report) => report.results.filter((r) => r.verdict === "fail").map((r) => r.id);

describe("a correct endpoint", () => {
  for (const inFlight of ["409", "wait"] as const) {
    it(`passes every rule (a concurrent duplicate answered by ${inFlight === "409" ? "409" : "waiting"})`, async () => {
      // Orders that take long enough for ten connections to open while the first runs.
      const endpoint = await startEndpoint({ kind: "correct", inFlight }, 400);
      try {
        const report = await checkConformance(optionsFor(endpoint));
        assert.deepEqual(failed(report), [], JSON.stringify(report.results, null, 2));
        assert.equal(report.passed, true);
        assert.ok(report.results.every((r) => r.verdict === "pass"));
        assert.match(
          evidence(report, "concurrent"),
          // A duplicate that arrives once the first has finished (a loaded machine) is replayed, not refused.
          inFlight === "409" ? /201 ×1(, 409 ×\d)?(, 201 replayed ×\d)?; one answer; effects \+1$/ : /201 ×1, 201 replayed ×9; one answer; effects \+1$/,
        );
        assert.match(evidence(report, "payload-mismatch"), /other payload 422 .*; effects \+1, \+0$/);
        // The retry meets the first still running (409, then the replay) or finished (the replay).
        assert.match(
          evidence(report, "lost-response"),
          /before any answer; retried: (409 \[Retry-After: 1\] → )?201 \[Idempotent-Replayed: true\]; effects \+1$/,
        );
      } finally {
        await endpoint.close();
      }
    });
  }
});

describe("a naive endpoint (check-then-insert, no fingerprint)", () => {
  let endpoint: Endpoint;
  let report: Report;
  before(async () => {
    // Its work takes 1 s: wide enough that, however loaded the machine, ten requests sent at once
    // all check before the first inserts, and a retry after a hang-up comes while the first still works.
    endpoint = await startEndpoint({ kind: "naive" }, 1_000);
    report = await checkConformance(optionsFor(endpoint));
  });
  after(() => endpoint.close());

  it("fails the rules its mistakes break, and only those", () => {
    assert.equal(report.passed, false);
    assert.deepEqual(verdicts(report), {
      "first-request": "pass",
      replay: "pass",
      "replay-marker": "pass",
      concurrent: "fail",
      "payload-mismatch": "fail",
      "key-missing": "pass",
      "key-malformed": "fail",
      "key-quoted": "pass",
      "lost-response": "fail",
      "replay-error": "fail",
    });
  });

  it("says why: the duplicates, the replayed first answer, the keys taken, the error run twice", () => {
    assert.match(evidence(report, "concurrent"), /10 at once: 201 ×\d+.*; different answers; effects \+([2-9]|10)$/);
    assert.match(evidence(report, "payload-mismatch"), /other payload the same 201 \[Idempotent-Replayed: true\]; effects \+1, \+0$/);
    assert.match(evidence(report, "key-malformed"), /^"has space" → 201 \(effects \+1\), 256 × "k" → 201 \(effects \+1\)/);
    assert.match(evidence(report, "lost-response"), /; retried: 201; effects \+2$/);
    assert.match(evidence(report, "replay-error"), /^first 402 .*; again 402 \{.*; effects \+1, \+1$/);
  });
});

describe("what the checker cannot judge", () => {
  let endpoint: Endpoint;
  before(async () => (endpoint = await startEndpoint({ kind: "correct", inFlight: "409" }, 10)));
  after(() => endpoint.close());

  it("is skipped, not passed: no {{unique}}, an optional key, no error body", async () => {
    const report = await checkConformance(optionsFor(endpoint, { body: '{"card":"visa"}', errorBody: undefined, keyRequired: false, hangUpAfterMs: 0 }));
    const skipped = report.results.filter((r) => r.verdict === "skip");
    assert.deepEqual(
      skipped.map((r) => [r.id, r.evidence]),
      [
        ["payload-mismatch", "the body has no {{unique}} to make a different payload"],
        ["key-missing", "the key is optional here (--key-optional)"],
        ["replay-error", "no --error-body (a payload the endpoint answers with an error)"],
      ],
    );
    assert.equal(report.passed, true);
  });

  it("judges nothing else when the first request fails: a count that does not move", async () => {
    const report = await checkConformance(optionsFor(endpoint, { countEffects: async () => 7 }));
    assert.equal(report.passed, false);
    assert.deepEqual(failed(report), ["first-request"]);
    assert.match(evidence(report, "first-request"), /^201 .*; effects \+0$/);
    assert.ok(report.results.slice(1).every((r) => r.verdict === "skip" && r.evidence.startsWith("not judged: first-request failed")));
  });

  it("fails a rule whose requests get no answer, with the reason", async () => {
    const gone = await startEndpoint({ kind: "naive" });
    await gone.close();
    const report = await checkConformance(optionsFor(endpoint, { url: gone.url }));
    assert.equal(report.results[0]!.verdict, "fail");
    assert.match(report.results[0]!.evidence, /^error: fetch failed \(.*ECONNREFUSED/);
  });
});
