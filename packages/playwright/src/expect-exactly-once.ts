// The promise of a protected form: however many times it was sent, the
// source of truth (rows, e-mails, charges) holds exactly one. Checked once the
// count has settled (settle.ts), so a duplicate that comes a little later is
// seen, and a failure says every count it saw on the way.
import { told, watchCount, type Count, type SettleOptions } from "./settle.ts";

/** Waits for `count` to settle and holds it to 1; returns it. Fails with the counts seen if it is 0 at the end of `timeoutMs`, or more than 1. */
export async function expectExactlyOnce(count: Count, options: SettleOptions = {}): Promise<number> {
  const { count: n, seen, settled } = await watchCount(count, 1, options);
  if (n === 0) throw new Error(`expected exactly once, but it never happened within ${options.timeoutMs ?? 30_000} ms (counts seen: ${told(seen)})`);
  if (!settled) throw new Error(`expected exactly once, but the count never held still for ${options.stableMs ?? 1_000} ms (counts seen: ${told(seen)})`);
  if (n !== 1) throw new Error(`expected exactly once, but it happened ${n} times (counts seen: ${told(seen)})`);
  return n;
}
