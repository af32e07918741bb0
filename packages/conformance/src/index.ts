// @payonce/conformance: check any endpoint that takes an Idempotency-Key
// against the IETF draft and Stripe's practice, from code (a test suite's
// own effect counter) as the CLI does from the command line.
export { checkConformance, parseReplayHeader, type ConformanceOptions, type Report, type RuleResult } from "./check.ts";
export { countFromCommand, countFromUrl, readCount, type CountEffects } from "./effects.ts";
export { RULES, UNIQUE, type Rule, type Verdict } from "./rules.ts";
export { DRAFT, formatTable, summary } from "./table.ts";
