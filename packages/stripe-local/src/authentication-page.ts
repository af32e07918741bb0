// The 3-D Secure page a card that asks for authentication sends the customer
// to (next_action.redirect_to_url.url), in the manner of Stripe's test page:
// "Complete authentication" charges the card, "Fail authentication" leaves
// the PaymentIntent wanting another payment method; either way the customer
// goes back to the return_url with Stripe's query (payment_intent,
// payment_intent_client_secret, redirect_status). Its events are sent as any other.
import type { Account } from "./account.ts";
import { StripeError } from "./errors.ts";
import type { RequestContext } from "./events.ts";

export const AUTHENTICATION_PATH = "/3d_secure_2/hosted";

export type PageReply = { status: number; html: string; headers?: Record<string, string> };

/** GET shows the page; POST (the page's buttons) answers and redirects back. */
export function authenticationPage(
  method: string,
  url: URL,
  rawBody: string,
  accountOf: (paymentIntentId: string) => Account | undefined,
  ctx: RequestContext,
): PageReply {
  const query = method === "POST" ? new URLSearchParams(rawBody) : url.searchParams;
  const intentId = query.get("payment_intent") ?? "";
  const secret = query.get("client_secret") ?? "";
  const account = accountOf(intentId);
  const intent = account?.paymentIntents.byId.get(intentId);
  if (!account || !intent || intent.client_secret !== secret)
    return page(404, "Unknown payment", "<p>There is no payment to authenticate at this address.</p>");
  if (method === "GET") {
    if (intent.status !== "requires_action") {
      return page(409, "Nothing to authenticate", `<p>This payment is <code>${intent.status}</code>: there is nothing left to authenticate.</p>`);
    }
    const button = (action: string, label: string, style: string) =>
      `<form method="post"><input type="hidden" name="payment_intent" value="${intent.id}"><input type="hidden" name="client_secret" value="${secret}"><button name="action" value="${action}" style="${style}">${label}</button></form>`;
    return page(
      200,
      "3D Secure 2 Test Page",
      `<p>This is a test page for 3-D Secure authentication, as your bank would show it.</p>
<p class="amount">${(intent.amount / 100).toFixed(2)} ${intent.currency.toUpperCase()}</p>
${button("complete", "Complete authentication", "background:#635bff;color:#fff")}
${button("fail", "Fail authentication", "background:#fff;color:#635bff")}`,
    );
  }
  const action = query.get("action");
  if (action !== "complete" && action !== "fail") return page(400, "Unknown answer", "<p>Choose Complete or Fail authentication.</p>");
  let back: string | null;
  try {
    back = account.paymentIntents.authenticate(intent.id, secret, action === "complete", ctx);
  } catch (error) {
    if (!(error instanceof StripeError)) throw error;
    return page(409, "Nothing to authenticate", `<p>${escapeHtml(String(error.body.message))}</p>`);
  }
  if (!back) return page(200, "Authentication finished", "<p>You can close this window.</p>");
  return { status: 303, html: "", headers: { Location: back } };
}

function page(status: number, title: string, body: string): PageReply {
  return {
    status,
    html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:26rem;margin:4rem auto;padding:0 1rem;color:#30313d}
h1{font-size:1.2rem}.amount{font-size:1.6rem;font-weight:600}form{margin:.6rem 0}
button{width:100%;padding:.8rem;border:1px solid #635bff;border-radius:6px;font-size:1rem;cursor:pointer}</style>
</head><body><h1>${title}</h1>${body}</body></html>`,
  };
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
