// The rules an endpoint with an Idempotency-Key is checked against, each
// from a section of the IETF draft (draft-ietf-httpapi-idempotency-key-header-06,
// "§") or from Stripe's documented practice. Each sends its own fresh key
// and fresh business data ({{unique}}), counts the effects before and after,
// and says why it passed or failed in one line of evidence. Where the draft
// leaves a choice open (409 or a wait for a concurrent duplicate), both pass.
import { randomBytes, randomUUID } from "node:crypto";
import type { CountEffects } from "./effects.ts";
import { describe, describeAgain, headline, type Endpoint, type Exchange, isMarkedReplay, isSuccess, retryUntilFinal, sameAnswer, send } from "./exchange.ts";
import { sendAndHangUp } from "./hang-up.ts";

/** The placeholder replaced in a body by a new value for every request a rule makes. */
export const UNIQUE = "{{unique}}";

export type Context = {
  endpoint: Endpoint;
  count: CountEffects;
  /** The body, with {{unique}} where each request gets fresh business data. */
  body: string;
  /** A body the endpoint answers with an error (a declined card), if given. */
  errorBody?: string;
  /** Whether the endpoint requires the key (400 without it). */
  keyRequired: boolean;
  concurrency: number;
  retryForMs: number;
  hangUpAfterMs: number;
  settleMs: number;
};

export type Verdict = "pass" | "fail" | "skip";
export type Finding = { verdict: Verdict; evidence: string };
export type Rule = { id: string; title: string; source: string; check: (ctx: Context) => Promise<Finding> };

const judged = (ok: boolean, evidence: string): Finding => ({ verdict: ok ? "pass" : "fail", evidence });
const skipped = (evidence: string): Finding => ({ verdict: "skip", evidence });

/** The body with every {{unique}} replaced by one new value. */
const fresh = (template: string) => template.replaceAll(UNIQUE, randomBytes(6).toString("hex"));
const newKey = () => randomUUID();
/** A new key and a body of fresh business data: one request a rule sends (maybe more than once). */
const freshRequest = (ctx: Context) => ({ key: newKey(), body: fresh(ctx.body) });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `steps` one after another, counting the effects each made. */
async function stepwise<T>(ctx: Context, steps: (() => Promise<T>)[]): Promise<{ results: T[]; effects: number[] }> {
  const results: T[] = [];
  const effects: number[] = [];
  let before = await ctx.count();
  for (const step of steps) {
    results.push(await step());
    const after = await ctx.count();
    effects.push(after - before);
    before = after;
  }
  return { results, effects };
}

const plus = (effects: number[]) => `effects ${effects.map((n) => (n < 0 ? String(n) : `+${n}`)).join(", ")}`;

/** The same request twice, with the same key: the first answer, the retry's, and the effects of each. */
async function sentTwice(ctx: Context, key: string, body: string) {
  const { results, effects } = await stepwise(ctx, [() => send(ctx.endpoint, key, body), () => send(ctx.endpoint, key, body)]);
  const [first, again] = results as [Exchange, Exchange];
  const evidence = `first ${describe(ctx.endpoint, first)}; again ${describeAgain(ctx.endpoint, first, again)}`;
  return { first, again, effects, evidence };
}

/** "201 ×1, 201 replayed ×3, 409 ×6": a crowd of answers by kind. */
function tally(ctx: Context, answers: Exchange[]): string {
  const kinds = new Map<string, number>();
  for (const x of answers) {
    const kind = `${x.status}${isMarkedReplay(ctx.endpoint, x) ? " replayed" : ""}`;
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  return [...kinds].map(([kind, n]) => `${kind} ×${n}`).join(", ");
}

/** Keys no published key format takes: outside the draft's sf-string and past Stripe's 255 characters. */
const MALFORMED_KEYS: [label: string, key: string][] = [
  ['"has space"', "has space"],
  ['256 × "k"', "k".repeat(256)],
  ['"ünïcode"', "ünïcode"],
  ['""', '""'],
];

export const RULES: Rule[] = [
  {
    id: "first-request",
    title: "A new key is processed normally: 2xx, one effect",
    source: "draft §2.6",
    async check(ctx) {
      const { results, effects } = await stepwise(ctx, [() => send(ctx.endpoint, newKey(), fresh(ctx.body))]);
      const [x] = results as [Exchange];
      return judged(isSuccess(x) && effects[0] === 1, `${describe(ctx.endpoint, x)}; ${plus(effects)}`);
    },
  },
  {
    id: "replay",
    title: "Same key, same payload: the same status and body, no second effect",
    source: "draft §2.6; Stripe",
    async check(ctx) {
      const { first, again, effects, evidence } = await sentTwice(ctx, newKey(), fresh(ctx.body));
      return judged(isSuccess(first) && sameAnswer(first, again) && effects[1] === 0, `${evidence}; ${plus(effects)}`);
    },
  },
  {
    id: "replay-marker",
    title: "A replay says so (the first answer does not)",
    source: "Stripe: Idempotent-Replayed",
    async check(ctx) {
      const { first, again, evidence } = await sentTwice(ctx, newKey(), fresh(ctx.body));
      return judged(!isMarkedReplay(ctx.endpoint, first) && isMarkedReplay(ctx.endpoint, again), evidence);
    },
  },
  {
    id: "concurrent",
    title: "Concurrent duplicates: one effect; the others 409, or wait and get the same answer",
    source: "draft §2.6, §2.7",
    async check(ctx) {
      const { key, body } = freshRequest(ctx);
      const crowd = () => Promise.all(Array.from({ length: ctx.concurrency }, () => send(ctx.endpoint, key, body)));
      const { results, effects } = await stepwise(ctx, [crowd]);
      const answers = results[0]!;
      const finals = answers.filter((x) => x.status !== 409);
      const agree = finals.length > 0 && isSuccess(finals[0]!) && finals.every((x) => sameAnswer(finals[0]!, x));
      const told = agree ? "one answer" : finals.length === 0 ? "no answer but 409" : "different answers";
      return judged(agree && effects[0] === 1, `${ctx.concurrency} at once: ${tally(ctx, answers)}; ${told}; ${plus(effects)}`);
    },
  },
  {
    id: "payload-mismatch",
    title: "Same key, different payload: 422, no effect",
    source: "draft §2.2, §2.7",
    async check(ctx) {
      if (!ctx.body.includes(UNIQUE)) return skipped(`the body has no ${UNIQUE} to make a different payload`);
      const key = newKey();
      const { results, effects } = await stepwise(ctx, [() => send(ctx.endpoint, key, fresh(ctx.body)), () => send(ctx.endpoint, key, fresh(ctx.body))]);
      const [first, other] = results as [Exchange, Exchange];
      const evidence = `first ${describe(ctx.endpoint, first)}; other payload ${describeAgain(ctx.endpoint, first, other)}; ${plus(effects)}`;
      return judged(isSuccess(first) && other.status === 422 && effects[1] === 0, evidence);
    },
  },
  {
    id: "key-missing",
    title: "No key where one is required: 400, no effect",
    source: "draft §2.7",
    async check(ctx) {
      if (!ctx.keyRequired) return skipped("the key is optional here (--key-optional)");
      const { results, effects } = await stepwise(ctx, [() => send(ctx.endpoint, null, fresh(ctx.body))]);
      const [x] = results as [Exchange];
      return judged(x.status === 400 && effects[0] === 0, `${describe(ctx.endpoint, x)}; ${plus(effects)}`);
    },
  },
  {
    id: "key-malformed",
    title: "A malformed key: 400, no effect",
    source: "draft §2.1, §5; Stripe: 255 chars",
    async check(ctx) {
      const steps = MALFORMED_KEYS.map(
        ([, key]) =>
          () =>
            send(ctx.endpoint, key, fresh(ctx.body)),
      );
      const { results, effects } = await stepwise(ctx, steps);
      const each = MALFORMED_KEYS.map(([label], n) => `${label} → ${results[n]!.status}${effects[n] ? ` (effects +${effects[n]})` : ""}`);
      return judged(results.every((x) => x.status === 400) && effects.every((n) => n === 0), each.join(", "));
    },
  },
  {
    id: "key-quoted",
    title: 'The draft\'s own form ("…", an sf-string) is taken and replayed',
    source: "draft §2.1",
    async check(ctx) {
      const { first, again, effects, evidence } = await sentTwice(ctx, `"${newKey()}"`, fresh(ctx.body));
      return judged(isSuccess(first) && sameAnswer(first, again) && effects[0] === 1 && effects[1] === 0, `${evidence}; ${plus(effects)}`);
    },
  },
  {
    id: "lost-response",
    title: "The client hangs up mid-request and retries with the same key: one effect",
    source: "draft §1, §2.6",
    async check(ctx) {
      const { key, body } = freshRequest(ctx);
      const before = await ctx.count();
      const hung = await sendAndHangUp(ctx.endpoint, key, body, ctx.hangUpAfterMs);
      const retries = await retryUntilFinal(ctx.endpoint, key, body, ctx.retryForMs);
      // The abandoned request may still be at work: its effect lands before the count.
      await sleep(ctx.settleMs);
      const effects = (await ctx.count()) - before;
      const last = retries.at(-1)!;
      const hangUp = `hung up ${hung.afterMs} ms after sending, ${hung.answerStarted ? "as the answer began" : "before any answer"}`;
      const retried = `retried: ${retries.map((x) => headline(ctx.endpoint, x)).join(" → ")}`;
      return judged(isSuccess(last) && effects === 1, `${hangUp}; ${retried}; ${plus([effects])}`);
    },
  },
  {
    id: "replay-error",
    title: "An error, retried with the same key: the same status and body, no new effect",
    source: "draft §2.6; Stripe",
    async check(ctx) {
      if (!ctx.errorBody) return skipped("no --error-body (a payload the endpoint answers with an error)");
      const { first, again, effects, evidence } = await sentTwice(ctx, newKey(), fresh(ctx.errorBody));
      if (isSuccess(first)) return judged(false, `the error body was not refused: ${evidence}`);
      return judged(sameAnswer(first, again) && effects[1] === 0, `${evidence}; ${plus(effects)}`);
    },
  },
];
