import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, it } from "node:test";
import { db } from "../lib/db.server";
import { claim, finish, FINISHED, requestFingerprint } from "../lib/idempotency.server";
import { expireLease, newSession } from "./helpers";

const fp = (body: unknown) => requestFingerprint("POST", "/test", body);

describe("idempotency record", () => {
  it("gives exactly one of 50 concurrent claims of one key the lease", async () => {
    const { id: sessionId } = await newSession();
    const key = randomUUID();
    const claims = await Promise.all(Array.from({ length: 50 }, () => claim({ sessionId, key, fingerprint: fp({ a: 1 }) })));
    assert.equal(claims.filter((c) => c.kind === "owned").length, 1);
    assert.equal(claims.filter((c) => c.kind === "in_progress").length, 49);
    assert.equal(await db.attempt.count({ where: { sessionId, key } }), 1);
  });

  it("replays the stored outcome once the attempt is finished", async () => {
    const { id: sessionId } = await newSession();
    const key = randomUUID();
    const first = await claim({ sessionId, key, fingerprint: fp({ a: 1 }) });
    assert.equal(first.kind, "owned");
    if (first.kind !== "owned") return;
    await db.$transaction((tx) => finish(tx, first.lease, { kind: "paid", order: { id: "o1" } }));
    const again = await claim({ sessionId, key, fingerprint: fp({ a: 1 }) });
    assert.equal(again.kind, "replay");
    if (again.kind === "replay") assert.deepEqual(again.outcome, { kind: "paid", order: { id: "o1" } });
  });

  it("hashes payloads canonically: key order does not matter, values do", () => {
    assert.equal(fp({ a: 1, b: { c: 2, d: 3 } }), fp({ b: { d: 3, c: 2 }, a: 1 }));
    assert.notEqual(fp({ a: 1 }), fp({ a: 2 }));
    assert.notEqual(requestFingerprint("POST", "/a", {}), requestFingerprint("POST", "/b", {}));
  });

  it("refuses the same key with a different payload and writes nothing", async () => {
    const { id: sessionId } = await newSession();
    const key = randomUUID();
    await claim({ sessionId, key, fingerprint: fp({ a: 1 }) });
    const before = await db.attempt.findUniqueOrThrow({ where: { sessionId_key: { sessionId, key } } });
    const other = await claim({ sessionId, key, fingerprint: fp({ a: 2 }) });
    assert.equal(other.kind, "mismatch");
    const after = await db.attempt.findUniqueOrThrow({ where: { sessionId_key: { sessionId, key } } });
    assert.deepEqual(after, before);
  });

  it("lets a retry take over once the lease has expired, and not before", async () => {
    const { id: sessionId } = await newSession();
    const key = randomUUID();
    const first = await claim({ sessionId, key, fingerprint: fp({}) });
    assert.equal(first.kind, "owned");
    assert.equal((await claim({ sessionId, key, fingerprint: fp({}) })).kind, "in_progress");
    await expireLease(sessionId, key);
    const takeovers = await Promise.all(Array.from({ length: 10 }, () => claim({ sessionId, key, fingerprint: fp({}) })));
    const owned = takeovers.filter((c) => c.kind === "owned");
    assert.equal(owned.length, 1);
    assert.equal(owned[0]?.kind === "owned" && owned[0].resumed, true);
  });

  it("keeps one customer's key from ever answering another customer", async () => {
    const [a, b] = [await newSession(), await newSession()];
    const key = randomUUID();
    const first = await claim({ sessionId: a.id, key, fingerprint: fp({}) });
    if (first.kind !== "owned") throw new Error("expected owned");
    await db.$transaction((tx) => finish(tx, first.lease, { status: 201, body: { secret: "a's order" } }));
    const other = await claim({ sessionId: b.id, key, fingerprint: fp({}) });
    assert.equal(other.kind, "owned");
  });

  it("treats a key past its retention as a new attempt", async () => {
    const { id: sessionId } = await newSession();
    const key = randomUUID();
    const first = await claim({ sessionId, key, fingerprint: fp({}) });
    if (first.kind !== "owned") throw new Error("expected owned");
    await db.$transaction((tx) => finish(tx, first.lease, { status: 201, body: {} }));
    await db.attempt.update({ where: { id: first.attempt.id }, data: { expiresAt: new Date(Date.now() - 1) } });
    const again = await claim({ sessionId, key, fingerprint: fp({}) });
    assert.equal(again.kind, "owned");
    if (again.kind === "owned") {
      assert.notEqual(again.attempt.id, first.attempt.id);
      assert.notEqual(again.attempt.recoveryPoint, FINISHED);
    }
  });
});
