// Where Stripe sends a customer back after 3-D Secure (the PaymentIntent's
// return_url). The session cookie belongs to the one origin the customer
// paid from: in local mode the shop answers on localhost, 127.0.0.1 and [::1]
// alike, so the customer goes back to that origin. Origin and Host are
// whatever the client sent: only one of the shop's own addresses is taken,
// anything else gets PUBLIC_URL, which is also the only address in real mode.
import "server-only";
import { env } from "../env.server";

type Settings = { stripe: { mode: "local" | "stripe" }; publicUrl: string; port: number };

/** The origins the shop itself answers on: PUBLIC_URL, and in local mode the loopback names on PORT. */
export function shopOrigins(settings: Settings): string[] {
  const { origin } = new URL(settings.publicUrl);
  if (settings.stripe.mode !== "local") return [origin];
  return [origin, ...["localhost", "127.0.0.1", "[::1]"].map((host) => `http://${host}:${settings.port}`)];
}

/** The return_url for a checkout asked with these request headers. */
export function checkoutReturnUrl(headers: Headers, settings: Settings = env()): string {
  const allowed = shopOrigins(settings);
  // A browser's POST names its page's origin; an API client without one is asked by Host.
  const host = headers.get("host");
  const claimed = headers.get("origin") ?? (host ? `http://${host}` : null);
  const origin = claimed !== null && URL.canParse(claimed) ? new URL(claimed).origin : null;
  return `${origin !== null && allowed.includes(origin) ? origin : allowed[0]}/checkout/return`;
}
