// The unprotected path's check: the same story without the protection must
// show the duplicate, or the story does not test what it claims (a test that
// passes whatever the code does protects nothing). It passes as soon as the
// count reaches 2 and, when it can, waits for it to settle so that the posts
// still on their way do not spill into the next test.
import { told, watchCount, type Count, type SettleOptions } from "./settle.ts";

/** Waits for `count` to reach 2 or more (and settle); returns it. Fails with the counts seen if it stays below 2 for `timeoutMs`. */
export async function expectDuplicate(count: Count, options: SettleOptions = {}): Promise<number> {
  const { count: n, seen } = await watchCount(count, 2, options);
  if (n < 2) throw new Error(`expected a duplicate (2 or more), but counted ${n} after ${options.timeoutMs ?? 30_000} ms (counts seen: ${told(seen)})`);
  return n;
}
