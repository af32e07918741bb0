// Runs before every page and server action (not the JSON API, which has its
// own tokens and headers):
// - a form or server action posted from another site is refused (403), so no
//   other page can make a visitor's browser pay or change their cart;
// - /admin asks for the admin's password outside local mode (lib/admin-auth.server.ts);
// - every visitor gets a session cookie minted here, before any page renders
//   (server components may not set cookies themselves); a cookie this server
//   did not mint is replaced.
import { NextResponse, type NextRequest } from "next/server";
import { adminAccess } from "./lib/admin-auth.server";
import { mintSession, SESSION_COOKIE, sessionIdFromCookie, sessionMaxAgeSeconds } from "./lib/session-cookie.server";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function fromAnotherSite(request: NextRequest): boolean {
  const origin = request.headers.get("origin");
  if (origin === null) return request.headers.get("sec-fetch-site") === "cross-site";
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  return URL.canParse(origin) ? new URL(origin).host !== host : true; // "null" (sandboxed pages) included
}

export function proxy(request: NextRequest) {
  if (!SAFE_METHODS.has(request.method) && fromAnotherSite(request)) {
    return new NextResponse("This form was sent from another site, so it was not accepted. Open the shop and try again.", {
      status: 403,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  if (request.nextUrl.pathname === "/admin" || request.nextUrl.pathname.startsWith("/admin/")) {
    const access = adminAccess(request.headers.get("authorization"));
    if (access === "closed") return new NextResponse("Not found", { status: 404 });
    if (access === "ask")
      return new NextResponse("The admin needs its password.", { status: 401, headers: { "WWW-Authenticate": 'Basic realm="PayOnce admin"' } });
  }
  if (sessionIdFromCookie(request.cookies.get(SESSION_COOKIE)?.value)) return NextResponse.next();

  const { cookie } = mintSession();
  request.cookies.set(SESSION_COOKIE, cookie);
  const response = NextResponse.next({ request: { headers: request.headers } });
  response.cookies.set(SESSION_COOKIE, cookie, {
    httpOnly: true,
    sameSite: "lax",
    secure: request.nextUrl.protocol === "https:",
    path: "/",
    maxAge: sessionMaxAgeSeconds(),
  });
  return response;
}

export const config = {
  // Pages and server actions; not static files, images or the JSON APIs.
  matcher: ["/((?!_next/|api/|favicon.ico|products/).*)"],
};
