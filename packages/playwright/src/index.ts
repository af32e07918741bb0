// @payonce/playwright: the double-submit test kit for any app's Playwright
// suite. The ways a person sends a form twice (hammers), assertions that hold
// a count from the source of truth to exactly once (or show the duplicate),
// waiting by settling rather than sleeping, and fixtures with a local Stripe
// server to break.
export { backAndSubmitAgain } from "./back-and-submit-again.ts";
export { beforeAnyAnswer } from "./before-any-answer.ts";
export { clickRepeatedly, clickTwice, type ClickOptions } from "./click-repeatedly.ts";
export { countAt } from "./count-at.ts";
export { expectDuplicate } from "./expect-duplicate.ts";
export { expectExactlyOnce } from "./expect-exactly-once.ts";
export { stripeTest, type StripeTestFixtures, type StripeWorkerFixtures } from "./fixtures.ts";
export { holdScripts, NEXT_CHUNKS, openBeforeHydration } from "./hold-scripts.ts";
export { hydrated } from "./hydrated.ts";
export { loseNextAnswer } from "./lost-answer.ts";
export type { PostMatch } from "./answers.ts";
export { pressEnterRepeatedly } from "./press-enter.ts";
export { reloadMidSubmit } from "./reload-mid-submit.ts";
export { settledCount, type Count, type SettleOptions } from "./settle.ts";
export { StripeControl, type Ledger, type LedgerCharge, type LedgerEvent, type LedgerPaymentIntent, type LedgerRefund } from "./stripe-control.ts";
export { submitFromTwoTabs, type TwoTabsStory } from "./two-tabs.ts";
