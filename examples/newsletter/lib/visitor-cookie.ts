// The visitor cookie: a random id that proxy.ts gives every browser before its
// first page renders, read by lib/visitor.server.ts as the scope of the
// visitor's attempt keys. Not a login: it only keeps one browser's keys apart
// from another's, so a cookie that is not one of ours is simply replaced.
export const VISITOR_COOKIE = "visitor";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const isVisitorId = (value: string | undefined): value is string => value !== undefined && UUID.test(value);
