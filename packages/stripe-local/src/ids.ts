// Ids and times as Stripe writes them: a prefix that names the kind of object
// (pi_…, ch_…, evt_…) before random letters, and Unix seconds.
import { randomBytes } from "node:crypto";

export const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString("base64url").replace(/[-_]/g, "x")}`;
export const now = () => Math.floor(Date.now() / 1000);
