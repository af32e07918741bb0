// Claiming a key, on every store: one owner of a burst, replay, mismatch,
// takeover after a lease ran out (by one claimant only), scopes kept apart,
// retention. (Moved from the shop's tests/idempotency.test.ts.)
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, it } from "node:test";
import { claim, FINISHED, finish, reapExpired } from "../src/claim.ts";
import { requestFingerprint } from "../src/fingerprint.ts";
import { LEASE_MS, STORES, withClock } from "./stores.ts";

const fp = (body: unknown) => requestFingerprint("POST", "/test", body);
const scope = () => `scope-${randomUUID()}`;

describe("the request fingerprint", () => {
  it("hashes payloads canonically: key order does not matter, values do", () => {
    assert.equal(fp({ a: 1, b: { c: 2, d: 3 } }), fp({ b: { d: 3, c: 2 }, a: 1 }));
    assert.notEqual(fp({ a: 1 }), fp({ a: 2 }));
    assert.notEqual(requestFingerprint("POST", "/a", {}), requestFingerprint("POST", "/b", {}));
  });
});

for (const { name, store: makeStore } of STORES) {
  describe(`claiming a key (${name})`, () => {
    it("gives exactly one of 50 concurrent claims of one key the lease", async () => {
      const config = withClock(await makeStore());
      const [s, key] = [scope(), randomUUID()];
      const claims = await Promise.all(Array.from({ length: 50 }, () => claim(config, { scope: s, key, fingerprint: fp({ a: 1 }) })));
      assert.equal(claims.filter((c) => c.kind === "owned").length, 1);
      assert.equal(claims.filter((c) => c.kind === "in_progress").length, 49);
    });

    it("replays the stored outcome once the attempt is finished", async () => {
      const config = withClock(await makeStore());
      const [s, key] = [scope(), randomUUID()];
      const first = await claim(config, { scope: s, key, fingerprint: fp({ a: 1 }) });
      if (first.kind !== "owned") throw new Error("expected owned");
      await config.store.transaction((tx) => finish(config, tx, first.lease, { kind: "paid", order: { id: "o1" } }));
      const again = await claim(config, { scope: s, key, fingerprint: fp({ a: 1 }) });
      assert.equal(again.kind, "replay");
      if (again.kind === "replay") assert.deepEqual(again.outcome, { kind: "paid", order: { id: "o1" } });
    });

    it("refuses the same key with a different payload and writes nothing", async () => {
      const config = withClock(await makeStore());
      const [s, key] = [scope(), randomUUID()];
      await claim(config, { scope: s, key, fingerprint: fp({ a: 1 }) });
      const before = await config.store.find(s, key);
      const other = await claim(config, { scope: s, key, fingerprint: fp({ a: 2 }) });
      assert.equal(other.kind, "mismatch");
      assert.deepEqual(await config.store.find(s, key), before);
    });

    it("lets a retry take over once the lease has expired, and not before; one of ten at once", async () => {
      const config = withClock(await makeStore());
      const [s, key] = [scope(), randomUUID()];
      assert.equal((await claim(config, { scope: s, key, fingerprint: fp({}) })).kind, "owned");
      assert.equal((await claim(config, { scope: s, key, fingerprint: fp({}) })).kind, "in_progress");
      config.later(LEASE_MS + 1);
      const takeovers = await Promise.all(Array.from({ length: 10 }, () => claim(config, { scope: s, key, fingerprint: fp({}) })));
      const owned = takeovers.filter((c) => c.kind === "owned");
      assert.equal(owned.length, 1);
      assert.equal(owned[0]?.kind === "owned" && owned[0].resumed, true);
    });

    it("keeps one scope's key from ever answering another scope", async () => {
      const config = withClock(await makeStore());
      const [a, b, key] = [scope(), scope(), randomUUID()];
      const first = await claim(config, { scope: a, key, fingerprint: fp({}) });
      if (first.kind !== "owned") throw new Error("expected owned");
      await config.store.transaction((tx) => finish(config, tx, first.lease, { secret: "a's order" }));
      assert.equal((await claim(config, { scope: b, key, fingerprint: fp({}) })).kind, "owned");
    });

    it("treats a key past its retention as a new attempt", async () => {
      const config = withClock(await makeStore());
      const [s, key] = [scope(), randomUUID()];
      const first = await claim(config, { scope: s, key, fingerprint: fp({}) });
      if (first.kind !== "owned") throw new Error("expected owned");
      await config.store.transaction((tx) => finish(config, tx, first.lease, {}));
      config.later(60_001);
      const again = await claim(config, { scope: s, key, fingerprint: fp({}) });
      assert.equal(again.kind, "owned");
      if (again.kind === "owned") {
        assert.notEqual(again.attempt.id, first.attempt.id);
        assert.notEqual(again.attempt.recoveryPoint, FINISHED);
      }
    });

    it("a holder whose lease was taken over can move nothing", async () => {
      const config = withClock(await makeStore());
      const [s, key] = [scope(), randomUUID()];
      const first = await claim(config, { scope: s, key, fingerprint: fp({}) });
      if (first.kind !== "owned") throw new Error("expected owned");
      config.later(LEASE_MS + 1);
      assert.equal((await claim(config, { scope: s, key, fingerprint: fp({}) })).kind, "owned");
      await assert.rejects(
        config.store.transaction((tx) => finish(config, tx, first.lease, { late: true })),
        /was taken over/,
      );
      assert.notEqual((await config.store.find(s, key))?.recoveryPoint, FINISHED);
    });

    it("the reaper deletes records past their retention, a bounded batch at a time, and only those", async () => {
      const config = withClock(await makeStore());
      const s = scope();
      const old = Array.from({ length: 5 }, () => randomUUID());
      for (const key of old) await claim(config, { scope: s, key, fingerprint: fp({}) });
      config.later(60_001); // past the ttl of withClock's config
      const kept = randomUUID();
      await claim(config, { scope: s, key: kept, fingerprint: fp({}) });
      assert.equal(await reapExpired(config, { batch: 2, maxBatches: 1 }), 2, "one batch of two, no more");
      assert.ok((await reapExpired(config, { batch: 2 })) >= 3, "the rest, two at a time");
      for (const key of old) assert.equal(await config.store.find(s, key), null);
      assert.ok(await config.store.find(s, kept));
    });
  });
}
