// The headers every response carries (next.config.ts for all paths, proxy.ts
// for what it answers itself), and the Content-Security-Policy: per request,
// with a nonce, on pages (proxy.ts: Next reads the nonce from the request's
// policy and puts it on the scripts it inlines); a fixed one that allows
// nothing on everything else (JSON, images). No page may be framed by any
// site (clickjacking the admin's Refund). docs/decisions/0010-content-security-policy.md.

/** On every response. */
export const SECURITY_HEADERS: Record<string, string> = {
  "X-Frame-Options": "DENY",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
};

/** Responses that are not pages (the JSON API, product images): nothing runs, nothing frames them. */
export const NON_PAGE_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** A fresh nonce for one page response: 128 random bits. */
export const newNonce = () => btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));

/**
 * A page's policy. Scripts: only those carrying this response's nonce, and
 * what they load ('strict-dynamic': Next's chunks). Styles allow inline
 * `style` attributes (React's style props; no script runs from them). `next
 * dev` also needs eval (React's dev tools rebuild call stacks with it).
 */
export function pageCsp(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}
