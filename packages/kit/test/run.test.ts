// The runner on every store: phases in order, a crash resumed at its recovery
// point (a finished phase never runs twice), replay, mismatch, in progress
// (told, or waited for), a retryable failure released for the same key, a
// refused new attempt withdrawn, a business unique index met, a holder whose
// lease was taken over committing nothing, a run without a key, the timeline.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, it } from "node:test";
import { MemoryUniqueViolation } from "../src/memory-store.ts";
import { RefusedInput } from "../src/refused-input.ts";
import { atomicPhase, runIdempotent, SimulatedCrash, uniquePhase, type AttemptEvent, type IdempotentOperation, type StoredMove } from "../src/run.ts";
import type { AttemptStore } from "../src/store.ts";
import { LEASE_MS, STORES, withClock } from "./stores.ts";

type Outcome = { kind: "done"; n: number } | { kind: "already" };
const outcome = { parse: (value: unknown) => value as Outcome };

for (const { name, store: makeStore } of STORES) {
  describe(`runIdempotent (${name})`, () => {
    /** An operation of two local phases around a "foreign call", counting what ran. */
    async function counted(store?: AttemptStore<unknown>) {
      const config = withClock(store ?? (await makeStore()));
      const ran: string[] = [];
      const scope = `scope-${randomUUID()}`;
      const op = (over: Partial<IdempotentOperation<Outcome, unknown>> = {}): IdempotentOperation<Outcome, unknown> => ({
        ...config,
        scope,
        key: "k",
        fingerprint: "f",
        outcome,
        phases: {
          started: (lease) =>
            atomicPhase(lease, async () => {
              ran.push("local");
              return { next: "called" };
            }),
          called: async (lease) => {
            ran.push("foreign");
            return atomicPhase(lease, async () => ({ next: "settled" }));
          },
          settled: (lease) =>
            atomicPhase(lease, async () => {
              ran.push("settle");
              return { finish: { kind: "done", n: ran.length } };
            }),
        },
        ...over,
      });
      return { config, ran, op, scope };
    }

    it("runs the phases in order, then replays the outcome without running anything", async () => {
      const { ran, op } = await counted();
      const first = await runIdempotent(op());
      assert.deepEqual(first, {
        kind: "completed",
        outcome: { kind: "done", n: 3 },
        replayed: false,
        attemptId: first.kind === "completed" ? first.attemptId : "",
      });
      const again = await runIdempotent(op());
      assert.equal(again.kind === "completed" && again.replayed, true);
      assert.deepEqual(again.kind === "completed" && again.outcome, { kind: "done", n: 3 });
      assert.deepEqual(ran, ["local", "foreign", "settle"]);
    });

    it("resumes a crashed attempt at its recovery point once its lease ran out: a finished phase never runs twice", async () => {
      const { config, ran, op } = await counted();
      await assert.rejects(
        runIdempotent(
          op({
            beforePhase: (point) => {
              if (point === "called") throw new SimulatedCrash(point);
            },
          }),
        ),
        SimulatedCrash,
      );
      assert.equal((await runIdempotent(op())).kind, "in_progress", "the lease is still held");
      config.later(LEASE_MS + 1);
      const resumed = await runIdempotent(op());
      assert.equal(resumed.kind, "completed");
      assert.deepEqual(ran, ["local", "foreign", "settle"]);
    });

    it("answers mismatch for the same key with another fingerprint", async () => {
      const { op } = await counted();
      await runIdempotent(op());
      assert.deepEqual(await runIdempotent(op({ fingerprint: "other" })), { kind: "mismatch" });
    });

    it("releases the attempt after a retryable failure: the same key resumes at once", async () => {
      const { ran, op } = await counted();
      let down = true;
      const flaky = op({ retryable: (e) => e instanceof Error && e.message === "down" });
      flaky.phases.called = async (lease) => {
        if (down) throw new Error("down");
        ran.push("foreign");
        return atomicPhase(lease, async () => ({ next: "settled" }));
      };
      const first = await runIdempotent(flaky);
      assert.equal(first.kind, "retryable");
      down = false;
      assert.equal((await runIdempotent(flaky)).kind, "completed");
      assert.deepEqual(ran, ["local", "foreign", "settle"]);
    });

    it("withdraws a new attempt its precondition refuses: as if the key had never been sent", async () => {
      const { config, op, scope } = await counted();
      await assert.rejects(
        runIdempotent(
          op({
            precondition: async () => {
              throw new RefusedInput("no");
            },
          }),
        ),
        RefusedInput,
      );
      assert.equal(await config.store.find(scope, "k"), null);
      assert.equal((await runIdempotent(op())).kind, "completed");
    });

    it("waits for an attempt running elsewhere when asked to, instead of answering in_progress", async () => {
      const { op, scope } = await counted();
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const slow = op();
      const call = slow.phases.called!;
      slow.phases.called = async (lease) => {
        await gate;
        return call(lease);
      };
      const first = runIdempotent(slow);
      while (!(await slow.store.find(scope, "k"))) await new Promise((r) => setImmediate(r));
      assert.equal((await runIdempotent(op())).kind, "in_progress");
      const waiting = runIdempotent(op({ waitForRunning: true }));
      release();
      const [a, b] = await Promise.all([first, waiting]);
      assert.equal(a.kind, "completed");
      assert.equal(b.kind === "completed" && b.replayed, true);
    });

    it("answers in_progress, and commits nothing, when its lease was taken over mid-run", async () => {
      const { config, ran, op } = await counted();
      const slow = op();
      slow.phases.called = async (lease) => {
        config.later(LEASE_MS + 1);
        assert.equal((await runIdempotent(op())).kind, "completed", "a retry took the attempt over and finished it");
        return atomicPhase(lease, async () => ({ next: "settled" }));
      };
      assert.deepEqual(await runIdempotent(slow), { kind: "in_progress", retryAfterSeconds: 1 }, "the first holder's move committed nothing…");
      assert.deepEqual(ran, ["local", "foreign", "settle"]);
      const replay = await runIdempotent(op());
      assert.deepEqual(replay.kind === "completed" && replay.outcome, { kind: "done", n: 3 }, "…only the retry's outcome did");
    });

    for (const result of [{ finish: { kind: "done", n: 0 } }, { next: "settled" }]) {
      it(`refuses a phase's ${Object.keys(result)[0]} not made by atomicPhase(): a clear error, and the attempt is not left leased`, async () => {
        const { config, op, scope } = await counted();
        // Cast: the Phase type refuses it already; a JavaScript caller (or an `as`) gets past that.
        const plain = op({ phases: { started: async () => result as unknown as StoredMove<Outcome> } });
        await assert.rejects(runIdempotent(plain), {
          message: "phase 'started' returned a result not made by atomicPhase() or uniquePhase(): its move was never stored",
        });
        const record = await config.store.find(scope, "k");
        assert.equal(record && record.lockedUntil! <= config.now!(), true, "the lease was given up");
        assert.equal(record?.outcome, null);
        assert.equal((await runIdempotent(op())).kind, "completed", "the same key runs again at once");
      });
    }

    it("runs from the beginning every time without a key, writing no record", async () => {
      const { config, ran, op, scope } = await counted();
      await runIdempotent(op({ key: null }));
      await runIdempotent(op({ key: null }));
      assert.equal(ran.length, 6);
      assert.equal(await config.store.find(scope, "k"), null);
    });

    it("writes each step of an attempt to the timeline in its phase's transaction, and notes a replay", async () => {
      const { op } = await counted();
      const written: AttemptEvent[] = [];
      const noted: AttemptEvent[] = [];
      const timeline = { write: async (_tx: unknown, events: AttemptEvent[]) => void written.push(...events), note: (e: AttemptEvent) => void noted.push(e) };
      await runIdempotent(op({ timeline }));
      await runIdempotent(op({ timeline }));
      assert.deepEqual(
        written.map((e) => e.kind),
        ["received", "called", "settled", "finished"],
      );
      assert.deepEqual(
        noted.map((e) => [e.kind, e.detail]),
        [["replayed", "done"]],
      );
    });
  });
}

describe("uniquePhase (memory)", () => {
  it("finishes with `already` when a business unique index refuses the write", async () => {
    const store = STORES[0]!;
    const config = withClock(await store.store());
    const result = await runIdempotent<Outcome, unknown>({
      ...config,
      scope: "s",
      key: randomUUID(),
      fingerprint: "f",
      outcome,
      phases: {
        started: (lease) =>
          uniquePhase(
            lease,
            async () => {
              throw new MemoryUniqueViolation("taken");
            },
            { kind: "already" },
          ),
      },
    });
    assert.deepEqual(result.kind === "completed" && result.outcome, { kind: "already" });
  });
});
