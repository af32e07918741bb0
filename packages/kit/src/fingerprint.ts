// The request fingerprint: what a key stands for, as a hash of the method,
// the path and the canonical JSON of the body. The same key must always ask
// for the same; a request with another fingerprint is a mismatch.
import { createHash } from "node:crypto";
import { canonicalJson } from "./canonical-json.ts";

export function requestFingerprint(method: string, path: string, body: unknown): string {
  return createHash("sha256")
    .update(`${method.toUpperCase()} ${path}\n${canonicalJson(body)}`)
    .digest("hex");
}
