// Every click of a double submit must land before the first answer, or the
// test proves nothing: a fast machine answers between two clicks 100 ms apart,
// a loaded one is slow to press them. Chromium's own network emulation (the
// DevTools throttling) holds every answer back instead: what the page sends
// reaches the server at once, its answer only when the act is done. It is not
// an interception: each request is sent once, as the browser sends it, and a
// plain form sent again cancels its first post as a real slow network does
// (the server still has it). Chromium only (a DevTools session).
import type { Page } from "@playwright/test";

/** Runs `act` (the story's clicks or key presses) with no answer reaching `page` until it is done; then the held answers arrive. */
export async function beforeAnyAnswer(page: Page, act: () => Promise<void>, { latencyMs = 120_000 }: { latencyMs?: number } = {}): Promise<void> {
  const devtools = await page.context().newCDPSession(page);
  const latency = (ms: number) =>
    devtools.send("Network.emulateNetworkConditions", { offline: false, latency: ms, downloadThroughput: -1, uploadThroughput: -1 });
  await devtools.send("Network.enable");
  await latency(latencyMs);
  try {
    await act();
  } finally {
    await latency(0);
    await devtools.detach();
  }
}
