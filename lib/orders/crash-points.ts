// Where crash tests stop a checkout, and how: a hook its caller hands in
// (CheckoutRequest.crashAfter), called right after each point. A hook that
// kills the process (PAYONCE_CRASH_AFTER, the lab's armed crash:
// lib/demo/crash.server.ts) or throws SimulatedCrash (unit tests) leaves the
// attempt as a killed process would: its lease held, nothing cleaned up.

/** After each recovery point, and between the Stripe call and its record. */
export const CRASH_POINTS = ["started", "order_created", "charge_sent", "payment_created"] as const;

export type CrashPoint = (typeof CRASH_POINTS)[number];

/** Called right after each crash point a run passes. */
export type CrashHook = (point: string) => void;
