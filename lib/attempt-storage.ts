// Where the browser keeps the idempotency key of the checkout attempt in
// progress: one per cart, in sessionStorage (per tab, survives reloads).
// Minted on first read, replaced only when an attempt reaches a final result.
const CHANGED = "payonce:attempt-key-changed";
const storageKey = (cartId: string) => `payonce:attempt:${cartId}`;

export function subscribeToAttemptKeys(onChange: () => void) {
  window.addEventListener(CHANGED, onChange);
  return () => window.removeEventListener(CHANGED, onChange);
}

export function attemptKey(cartId: string): string {
  const saved = sessionStorage.getItem(storageKey(cartId));
  if (saved) return saved;
  const minted = crypto.randomUUID();
  sessionStorage.setItem(storageKey(cartId), minted);
  return minted;
}

export function startNewAttempt(cartId: string) {
  sessionStorage.setItem(storageKey(cartId), crypto.randomUUID());
  window.dispatchEvent(new Event(CHANGED));
}

export function forgetAttempt(cartId: string) {
  sessionStorage.removeItem(storageKey(cartId));
}
