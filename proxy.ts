// Runs before every page and server action (not the JSON API, which has its
// own tokens and headers):
// - a form or server action posted from another site is refused (403), so no
//   other page can make a visitor's browser pay or change their cart;
// - /admin asks for the admin's password outside local mode (lib/sessions/admin-auth.server.ts),
//   and so does /ledger with real Stripe (store-wide figures, other orders' errors);
// - every page gets its Content-Security-Policy with a fresh nonce, and every
//   answer the security headers (lib/http/security-headers.ts);
// - every visitor gets a session cookie minted here, before any page renders
//   (server components may not set cookies themselves); a cookie this server
//   did not mint is replaced.
import { NextResponse, type NextRequest } from "next/server";
import { adminAccess, ledgerAccess, type AdminAccess } from "./lib/sessions/admin-auth.server";
import { newNonce, pageCsp, SECURITY_HEADERS } from "./lib/http/security-headers";
import { mintSession, SESSION_COOKIE, sessionIdFromCookie, sessionMaxAgeSeconds } from "./lib/sessions/session-cookie.server";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function fromAnotherSite(request: NextRequest): boolean {
  const origin = request.headers.get("origin");
  if (origin === null) return request.headers.get("sec-fetch-site") === "cross-site";
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  return URL.canParse(origin) ? new URL(origin).host !== host : true; // "null" (sandboxed pages) included
}

const under = (pathname: string, prefix: string) => pathname === prefix || pathname.startsWith(`${prefix}/`);

function secured(response: NextResponse, csp: string): NextResponse {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.headers.set(name, value);
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

function refused(access: Exclude<AdminAccess, "allowed">): NextResponse {
  if (access === "closed") return new NextResponse("Not found", { status: 404 });
  return new NextResponse("The admin needs its password.", { status: 401, headers: { "WWW-Authenticate": 'Basic realm="PayOnce admin"' } });
}

export function proxy(request: NextRequest) {
  // NODE_ENV is Next's own (set by `next dev` / `next start`), not a setting of ours.
  const csp = pageCsp(newNonce(), process.env.NODE_ENV === "development");
  if (!SAFE_METHODS.has(request.method) && fromAnotherSite(request)) {
    return secured(
      new NextResponse("This form was sent from another site, so it was not accepted. Open the shop and try again.", {
        status: 403,
        headers: { "Content-Type": "text/plain; charset=utf-8" },
      }),
      csp,
    );
  }
  const { pathname } = request.nextUrl;
  const access = under(pathname, "/admin")
    ? adminAccess(request.headers.get("authorization"))
    : under(pathname, "/ledger")
      ? ledgerAccess(request.headers.get("authorization"))
      : "allowed";
  if (access !== "allowed") return secured(refused(access), csp);

  const minted = sessionIdFromCookie(request.cookies.get(SESSION_COOKIE)?.value) ? null : mintSession().cookie;
  if (minted) request.cookies.set(SESSION_COOKIE, minted); // the page renders with it already
  // Next puts the nonce of the request's policy on the scripts it renders.
  const headers = new Headers(request.headers);
  headers.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers } });
  if (minted) {
    response.cookies.set(SESSION_COOKIE, minted, {
      httpOnly: true,
      sameSite: "lax",
      secure: request.nextUrl.protocol === "https:",
      path: "/",
      maxAge: sessionMaxAgeSeconds(),
    });
  }
  return secured(response, csp);
}

export const config = {
  // Pages and server actions; not static files, images or the JSON APIs
  // (next.config.ts gives those their headers, and NON_PAGE_CSP).
  matcher: ["/((?!_next/|api/|products/).*)"],
};
