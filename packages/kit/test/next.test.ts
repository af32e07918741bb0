// The route-handler wrapper answers as the IETF Idempotency-Key draft asks
// (401, 400, 413, 422, 409 + Retry-After, a replay header, problem+json), and
// the server-action wrapper turns every result into a form's reply.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, it } from "node:test";
import { z } from "zod";
import { memoryStore } from "../src/memory-store.ts";
import { formActions } from "../src/next/action.ts";
import { idempotentResponse, idempotentRoutes } from "../src/next/route.ts";
import { RefusedInput } from "../src/refused-input.ts";
import { atomicPhase, runIdempotent } from "../src/run.ts";

const store = memoryStore();
const body = z.strictObject({ amount: z.number().int().min(1) });
type Outcome = { kind: "paid"; amount: number };
let gate: Promise<void> = Promise.resolve();

const { idempotentPost } = idempotentRoutes({
  authenticate: async (request) => request.headers.get("authorization"),
  isUnavailable: (error) => error instanceof Error && error.message === "database down",
  maxBodyBytes: 64,
});
const POST = idempotentPost(body, async ({ scope, key, body }) => {
  if (body.amount === 13) throw new RefusedInput("Not that one.", "/amount");
  if (body.amount === 14) throw new RefusedInput("Too much.", "amount");
  if (body.amount === 503) throw new Error("database down");
  const result = await runIdempotent<Outcome, unknown>({
    store,
    scope,
    key,
    fingerprint: JSON.stringify(body),
    outcome: { parse: (v) => v as Outcome },
    phases: {
      started: async (lease) => {
        await gate;
        return atomicPhase(lease, async () => ({ finish: { kind: "paid", amount: body.amount } }));
      },
    },
  });
  return idempotentResponse(result, (outcome, headers) => Response.json(outcome, { status: 201, headers }));
});

const post = (json: unknown, headers: Record<string, string> = { authorization: "a", "idempotency-key": randomUUID() }) =>
  POST(new Request("http://test/pay", { method: "POST", headers, body: typeof json === "string" ? json : JSON.stringify(json) }));

async function problemOf(response: Response) {
  assert.equal(response.headers.get("content-type"), "application/problem+json");
  return (await response.json()) as { type: string; status: number };
}

describe("idempotentPost", () => {
  it("refuses without a scope (401), without a key or with a malformed one (400), past the body's limit (413)", async () => {
    const unauthorized = await post({ amount: 1 }, { "idempotency-key": "k" });
    assert.equal(unauthorized.status, 401);
    assert.equal(((await problemOf(unauthorized)) as { title?: string }).title, "Authentication is required", "whatever the app authenticates with");
    assert.equal((await problemOf(await post({ amount: 1 }, { authorization: "a" }))).type, "/problems/idempotency-key-missing");
    assert.equal((await problemOf(await post({ amount: 1 }, { authorization: "a", "idempotency-key": "a b" }))).type, "/problems/idempotency-key-malformed");
    assert.equal((await post({ amount: 1, pad: "x".repeat(100) })).status, 413);
  });

  it("answers 400 for a body that is not JSON, fails its schema, or is refused", async () => {
    assert.equal((await problemOf(await post("{"))).type, "/problems/invalid-body");
    assert.equal((await post({ amount: 0 })).status, 400);
    const refused = await post({ amount: 13 });
    assert.equal(refused.status, 400);
    assert.deepEqual(((await refused.json()) as { errors: unknown }).errors, [{ pointer: "/amount", detail: "Not that one." }]);
    const named = await post({ amount: 14 });
    assert.deepEqual(
      ((await named.json()) as { errors: unknown }).errors,
      [{ pointer: "/amount", detail: "Too much." }],
      "a field's name is made a JSON Pointer",
    );
  });

  it("replays the first outcome with Idempotent-Replayed, refuses the key for another body (422)", async () => {
    const headers = { authorization: "a", "idempotency-key": `"${randomUUID()}"` };
    const first = await post({ amount: 5 }, headers);
    assert.equal(first.status, 201);
    assert.equal(first.headers.get("idempotent-replayed"), null);
    const again = await post({ amount: 5 }, headers);
    assert.equal(again.headers.get("idempotent-replayed"), "true");
    assert.deepEqual(await again.json(), await first.json());
    assert.equal((await problemOf(await post({ amount: 6 }, headers))).status, 422);
  });

  it("answers 409 with Retry-After while the first request runs, and 503 with Retry-After for passing trouble", async () => {
    let open!: () => void;
    gate = new Promise((r) => (open = r));
    const headers = { authorization: "a", "idempotency-key": randomUUID() };
    const first = post({ amount: 7 }, headers);
    while (!(await store.find("a", headers["idempotency-key"]))) await new Promise((r) => setImmediate(r));
    const busy = await post({ amount: 7 }, headers);
    assert.equal(busy.status, 409);
    assert.ok(Number(busy.headers.get("retry-after")) >= 1);
    open();
    assert.equal((await first).status, 201);
    const down = await post({ amount: 503 });
    assert.equal(down.status, 503);
    assert.equal(down.headers.get("retry-after"), "1");
  });
});

describe("formActions", () => {
  const schema = z.object({ idempotencyKey: z.string().min(1), name: z.string().min(2, "Too short.") });
  const { submitForm } = formActions({ session: async () => ({ id: "visitor" }), isUnavailable: (e) => e === "busy" });
  const form = (fields: Record<string, string>) => {
    const data = new FormData();
    for (const [k, v] of Object.entries(fields)) data.set(k, v);
    return data;
  };
  const say = (o: { name: string }) => ({ ok: true, message: `Hello ${o.name}` });

  it("answers field errors without running, a final reply when completed, and keeps the key when busy or refused", async () => {
    let runs = 0;
    const run = async ({ fields }: { fields: { name: string } }) => {
      runs++;
      if (fields.name === "busy") throw "busy";
      if (fields.name === "no") throw new RefusedInput("Not you.");
      return { kind: "completed" as const, outcome: { name: fields.name }, replayed: false, attemptId: "a" };
    };
    const invalid = await submitForm(form({ idempotencyKey: "k", name: "x" }), schema, run, say);
    assert.deepEqual([invalid.final, invalid.fieldErrors?.name], [false, ["Too short."]]);
    assert.equal(runs, 0);
    assert.deepEqual(await submitForm(form({ idempotencyKey: "k", name: "Ada" }), schema, run, say), { ok: true, message: "Hello Ada", final: true });
    assert.equal((await submitForm(form({ idempotencyKey: "k", name: "busy" }), schema, run, say)).final, false);
    assert.deepEqual(await submitForm(form({ idempotencyKey: "k", name: "no" }), schema, run, say), { ok: false, final: false, message: "Not you." });
  });
});
