// Gives every visitor a session cookie before any page renders, so server
// components can always read one (they may not set cookies themselves).
import { NextResponse, type NextRequest } from "next/server";
import { isSessionId, newSessionId, SESSION_COOKIE, SESSION_MAX_AGE } from "./lib/session-cookie";

export function proxy(request: NextRequest) {
  if (isSessionId(request.cookies.get(SESSION_COOKIE)?.value)) return NextResponse.next();

  const id = newSessionId();
  request.cookies.set(SESSION_COOKIE, id);
  const response = NextResponse.next({ request: { headers: request.headers } });
  response.cookies.set(SESSION_COOKIE, id, {
    httpOnly: true,
    sameSite: "lax",
    secure: request.nextUrl.protocol === "https:",
    path: "/",
    maxAge: SESSION_MAX_AGE,
  });
  return response;
}

export const config = {
  // Pages and server actions; not static files, images or the JSON APIs.
  matcher: ["/((?!_next/|api/|favicon.ico|products/).*)"],
};
