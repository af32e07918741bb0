// How long to wait before counting? Not a sleep: a sleep is too short on a
// loaded machine and wasted on a fast one. The count is watched instead,
// until it has reached what the story makes and then held still for a while
// (`stableMs`): a double submit's posts are all sent before the first answer,
// so its count only grows, and a count that holds still has reached its end.
import { poll } from "./poll.ts";

/** Counts something from the source of truth: a database query, a URL (countAt), the Stripe ledger. */
export type Count = () => Promise<number> | number;

export type SettleOptions = {
  /** How long the whole wait may take (30 s). */
  timeoutMs?: number;
  /** How long the count must hold still to be its end (1 s). */
  stableMs?: number;
  /** How often it is counted (200 ms). */
  intervalMs?: number;
};

/** What watching a count saw: its last value, every value it took in order, and whether it settled. */
export type Watched = { count: number; seen: number[]; settled: boolean };

/** Watches `count` until it is at least `atLeast` and has held still for `stableMs`, or the time is up. */
export async function watchCount(
  count: Count,
  atLeast: number,
  { timeoutMs = 30_000, stableMs = 1_000, intervalMs = 200 }: SettleOptions = {},
): Promise<Watched> {
  const seen: number[] = [];
  let since = Date.now();
  const { answer, done } = await poll(
    async () => {
      const n = await count();
      if (seen.at(-1) !== n) {
        seen.push(n);
        since = Date.now();
      }
      return n;
    },
    (n) => n >= atLeast && Date.now() - since >= stableMs,
    { timeoutMs, intervalMs },
  );
  return { count: answer, seen, settled: done };
}

/** The counts seen, for a failure's message: "0 → 1 → 2". */
export const told = (seen: number[]) => seen.join(" → ");

/** The count once it is above 0 and has held still (`stableMs`); throws, with the counts seen, if it never does within `timeoutMs`. */
export async function settledCount(count: Count, options: SettleOptions = {}): Promise<number> {
  const watched = await watchCount(count, 1, options);
  if (!watched.settled) {
    throw new Error(`the count did not settle above 0 within ${options.timeoutMs ?? 30_000} ms (counts seen: ${told(watched.seen)})`);
  }
  return watched.count;
}
