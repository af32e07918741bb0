// The scope of this request's attempt keys: the visitor (lib/visitor-cookie.ts),
// so one browser's key never answers another's.
import "server-only";
import { RefusedInput } from "@payonce/kit";
import { cookies } from "next/headers";
import { isVisitorId, VISITOR_COOKIE } from "./visitor-cookie";

/** The visitor's scope, or null without a visitor cookie (the route's 401). */
export async function visitorScope(): Promise<string | null> {
  const id = (await cookies()).get(VISITOR_COOKIE)?.value;
  return isVisitorId(id) ? `visitor:${id}` : null;
}

/** The same for a form: without the cookie, a refusal the person can act on (the form shows it). */
export async function visitorSession(): Promise<string> {
  const scope = await visitorScope();
  if (!scope) throw new RefusedInput("Your browser sent no cookie: allow cookies for this site, reload, and send it again.");
  return scope;
}
