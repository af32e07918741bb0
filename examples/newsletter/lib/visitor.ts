// The visitor: a random id in a cookie that proxy.ts gives every browser
// before its first page renders. It is the scope of the visitor's attempt
// keys, so one browser's key never answers another's. Not a login: it only
// keeps keys apart, so a cookie that is not one of ours is simply replaced.
import { cookies } from "next/headers";

export const VISITOR_COOKIE = "visitor";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const isVisitorId = (value: string | undefined): value is string => value !== undefined && UUID.test(value);

/** The scope of this request's keys, or null without a visitor cookie. */
export async function visitorScope(): Promise<string | null> {
  const id = (await cookies()).get(VISITOR_COOKIE)?.value;
  return isVisitorId(id) ? `visitor:${id}` : null;
}
