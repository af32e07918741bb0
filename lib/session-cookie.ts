// The session cookie, shared by proxy.ts (which sets it) and the server code
// (which reads it). Its value is an unguessable id: it is the idempotency scope.
export const SESSION_COOKIE = "payonce_session";
export const SESSION_MAX_AGE = 60 * 60 * 24 * 30;

const SESSION_ID = /^[A-Za-z0-9_-]{22,64}$/;
export const isSessionId = (value: string | undefined): value is string => !!value && SESSION_ID.test(value);

export function newSessionId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
