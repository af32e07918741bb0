// Where the browser keeps the idempotency key of the attempt in progress: one
// per scope (a cart, a form on a page, a record), in sessionStorage (per tab,
// survives reloads). Minted on first read, replaced only when an attempt
// reaches a final result.
const CHANGED = "payonce:attempt-key-changed";
const storageKey = (scope: string) => `payonce:attempt:${scope}`;

export function subscribeToAttemptKeys(onChange: () => void) {
  window.addEventListener(CHANGED, onChange);
  return () => window.removeEventListener(CHANGED, onChange);
}

export function attemptKey(scope: string): string {
  const saved = sessionStorage.getItem(storageKey(scope));
  if (saved) return saved;
  const minted = crypto.randomUUID();
  sessionStorage.setItem(storageKey(scope), minted);
  return minted;
}

export function startNewAttempt(scope: string) {
  sessionStorage.setItem(storageKey(scope), crypto.randomUUID());
  window.dispatchEvent(new Event(CHANGED));
}

export function forgetAttempt(scope: string) {
  sessionStorage.removeItem(storageKey(scope));
}
