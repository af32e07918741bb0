// A test's hand on the 3-D Secure page (authentication-page.ts): a card that
// asks for authentication sends the customer to a page with two buttons, and
// a test that drives the API alone, without a browser, presses one this way.
export type AuthenticationAction = "complete" | "fail";

/** Presses a button of the page at `pageUrl` (next_action.redirect_to_url.url); the page's raw answer. */
export function answerAuthentication(pageUrl: string, action: AuthenticationAction): Promise<Response> {
  const page = new URL(pageUrl);
  const body = new URLSearchParams({
    payment_intent: page.searchParams.get("payment_intent") ?? "",
    client_secret: page.searchParams.get("client_secret") ?? "",
    action,
  });
  return fetch(page, { method: "POST", body, redirect: "manual" });
}

/** Authenticates as the customer would; resolves with where the customer is sent back (the return_url and Stripe's query). */
export async function authenticate(pageUrl: string, action: AuthenticationAction): Promise<string> {
  const response = await answerAuthentication(pageUrl, action);
  const location = response.headers.get("location");
  if (response.status !== 303 || !location) throw new Error(`authentication page: ${response.status} ${await response.text()}`);
  return location;
}
