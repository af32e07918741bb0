// `expand[]`: ids in an answer replaced by the objects they name, for the
// fields a shop expands (a PaymentIntent's latest_charge, payment_method and
// customer; a charge's or refund's payment_intent), also inside lists
// (`data.latest_charge`). Unknown paths are left as ids.
import type { Account } from "./account.ts";

function lookUp(account: Account, id: string): unknown {
  const [prefix] = id.split("_");
  const maps: Record<string, Map<string, unknown>> = {
    ch: account.charges.byId,
    pi: account.paymentIntents.byId,
    pm: account.paymentMethods.byId,
    cus: account.customers.byId,
    re: account.refunds.byId,
  };
  return maps[prefix ?? ""]?.get(id) ?? id;
}

function expandPath(account: Account, object: unknown, path: string[]): unknown {
  if (!object || typeof object !== "object" || path.length === 0) return object;
  const [field, ...rest] = path as [string, ...string[]];
  const record = object as Record<string, unknown>;
  if (field === "data" && Array.isArray(record.data)) {
    return { ...record, data: record.data.map((item) => expandPath(account, item, rest)) };
  }
  const value = record[field];
  const expanded = typeof value === "string" && rest.length === 0 ? lookUp(account, value) : expandPath(account, value, rest);
  return { ...record, [field]: expanded };
}

export function expand(account: Account, answer: unknown, paths: unknown): unknown {
  const list = Array.isArray(paths) ? paths : paths && typeof paths === "object" ? Object.values(paths) : [];
  return list.reduce((object: unknown, path) => expandPath(account, object, String(path).split(".")), answer);
}
