// A request and the read of its answer that end at a deadline of their own,
// whatever fetch does: in a chaos campaign (seed 2112239493) fetches under an
// abort signal settled neither with the answer nor with the signal. The loser
// of the race is aborted, to let its connection go. Used by the webhook sender,
// and exported (@payonce/stripe-local/fetch-within) for a test's own clients
// (PayOnce's chaos campaign's customers use it).
import pTimeout from "p-timeout";

/** Rejects with p-timeout's TimeoutError (carrying `message`, if given) once `milliseconds` have passed. */
export async function fetchWithin(url: string, init: RequestInit, milliseconds: number, message?: string) {
  const controller = new AbortController();
  const exchange = async () => {
    const response = await fetch(url, { ...init, signal: controller.signal });
    return { response, body: await response.text() };
  };
  try {
    return await pTimeout(exchange(), { milliseconds, ...(message !== undefined && { message }) });
  } finally {
    controller.abort();
  }
}
