// Who may use the merchant admin: anyone in local mode (the demo), otherwise
// whoever sends ADMIN_SECRET as the password of HTTP Basic auth (any user
// name); nobody while ADMIN_SECRET is unset. proxy.ts asks the browser for it
// on /admin pages; every admin action checks it again (an action can be
// posted to any URL). /ledger follows the same rule with real Stripe, and is
// open in local mode even with DISABLE_DEMO_TOOLS (its figures are the demo's).
import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { env } from "../env.server";

export type AdminAccess = "allowed" | "ask" | "closed";

const digest = (s: string) => createHash("sha256").update(s).digest();

/** `open`: everyone's, no password (the demo's admin, the ledger in local mode). */
export function adminAccess(
  authorization: string | null,
  { open, adminSecret: secret }: { open: boolean; adminSecret: string | null } = { open: env().demoTools, adminSecret: env().adminSecret },
): AdminAccess {
  if (open) return "allowed";
  if (!secret) return "closed";
  const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(authorization ?? "");
  const password = match ? Buffer.from(match[1]!, "base64").toString("utf8").split(":").slice(1).join(":") : "";
  return timingSafeEqual(digest(password), digest(secret)) ? "allowed" : "ask";
}

/**
 * The ledger is public in local mode only: its figures are the demo's there;
 * with real Stripe they are the store's (counts, other orders' errors), and
 * the shop links to it nowhere.
 */
export const ledgerIsPublic = (stripeMode: "local" | "stripe" = env().stripe.mode) => stripeMode === "local";

/** /ledger: the admin's (as adminAccess) once a STRIPE_SECRET_KEY is set; anyone's in local mode. */
export function ledgerAccess(
  authorization: string | null,
  { stripeMode, adminSecret }: { stripeMode: "local" | "stripe"; adminSecret: string | null } = {
    stripeMode: env().stripe.mode,
    adminSecret: env().adminSecret,
  },
): AdminAccess {
  return adminAccess(authorization, { open: ledgerIsPublic(stripeMode), adminSecret });
}
