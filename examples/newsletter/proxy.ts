// Every browser gets a visitor cookie before its first page renders (a server
// component may not set one): the scope of its attempt keys (lib/visitor-cookie.ts).
import { NextResponse, type NextRequest } from "next/server";
import { isVisitorId, VISITOR_COOKIE } from "./lib/visitor-cookie";

export function proxy(request: NextRequest) {
  const response = NextResponse.next();
  if (!isVisitorId(request.cookies.get(VISITOR_COOKIE)?.value)) {
    response.cookies.set(VISITOR_COOKIE, crypto.randomUUID(), { httpOnly: true, sameSite: "lax", path: "/" });
  }
  return response;
}

export const config = { matcher: ["/((?!_next/|favicon.ico).*)"] };
