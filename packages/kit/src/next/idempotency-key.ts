// The Idempotency-Key header (IETF draft-ietf-httpapi-idempotency-key-header):
// a plain token of 1 to 255 visible ASCII characters, or the draft's
// structured-field string ("…"). A header is never trusted: anything else is
// refused before a key reaches the store or a log.

export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export function parseIdempotencyKey(header: string | null): { ok: true; key: string } | { ok: false; missing: boolean } {
  if (header === null || header.trim() === "") return { ok: false, missing: true };
  let key = header.trim();
  const quoted = key.match(/^"((?:[^"\\]|\\["\\])*)"$/);
  if (quoted) key = quoted[1]!.replace(/\\(["\\])/g, "$1");
  return IDEMPOTENCY_KEY_PATTERN.test(key) ? { ok: true, key } : { ok: false, missing: false };
}
