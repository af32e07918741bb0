// Not in the README: the phase shapes its example does not show, type-checked
// with it. The outcome comes from the schema, whatever each phase returns.
import { atomicPhase, memoryStore, runIdempotent, uniquePhase, type Lease, type MemoryTx } from "@payonce/kit";
import { z } from "zod";

const store = memoryStore();

export const checked = runIdempotent({
  store,
  scope: "s",
  key: "k",
  fingerprint: "f",
  outcome: z.object({ kind: z.enum(["done", "already"]), ids: z.array(z.string()).optional() }),
  phases: {
    // An annotated phase that only goes on.
    started: (lease: Lease<MemoryTx>) => atomicPhase(lease, async () => ({ next: "second" })),
    second: (lease) => atomicPhase(lease, async () => ({ next: "third", detail: "a word" })),
    third: (lease) => uniquePhase(lease, async () => ({ finish: { kind: "done" } }), { kind: "already" }),
    // An annotated phase whose outcome has an array: as mutable as the schema's.
    listed: (lease: Lease<MemoryTx>) => atomicPhase(lease, async () => ({ finish: { kind: "done", ids: ["a"] } })),
    // @ts-expect-error: an outcome the schema does not allow
    wrong: (lease: Lease<MemoryTx>) => atomicPhase(lease, async () => ({ finish: { kind: "other" } })),
    // @ts-expect-error: a plain result, whose move nothing stored
    plain: async () => ({ finish: { kind: "done" } }),
  },
});
