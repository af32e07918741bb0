// lib/tickets.ts: the runner on memoryStore(), for tests, a demo, one process.
import { atomicPhase, memoryStore, requestFingerprint, runIdempotent, type Lease, type MemoryTx } from "@payonce/kit";
import { z } from "zod";

// On globalThis: `next dev` reloads changed modules, and a store made at module level would be lost with them.
const globals = globalThis as typeof globalThis & { ticketAttempts?: ReturnType<typeof memoryStore> };
const store = (globals.ticketAttempts ??= memoryStore());

const outcome = z.discriminatedUnion("kind", [z.object({ kind: z.literal("issued"), ticket: z.number() }), z.object({ kind: z.literal("sold_out") })]);
let issued = 0; // the app's own state: here a counter, in memory too

export function issueTicket(scope: string, key: string, fields: { event: string }) {
  return runIdempotent<z.infer<typeof outcome>, MemoryTx>({
    store,
    scope,
    key,
    fingerprint: requestFingerprint("POST", "/tickets", fields),
    outcome,
    phases: {
      started: (lease) =>
        atomicPhase(lease, async () => {
          if (issued >= 100) return { finish: { kind: "sold_out" } };
          return { next: "checked" };
        }),
      checked: (lease: Lease<MemoryTx>) => atomicPhase(lease, async () => ({ finish: { kind: "issued", ticket: ++issued } })),
    },
  });
}

/** Every record the store holds (copies): what a test looks at. */
export const ticketAttempts = () => store.records();
