// `expand[]`: ids in an answer replaced by the objects they name, also inside
// lists (`data.latest_charge`) and through expanded objects
// (`latest_charge.payment_intent`). Which paths may be asked for is Stripe's
// description's (x-expandableFields, response-spec.ts): any other is the 400
// Stripe answers, before any work is done. A field Stripe can expand to an
// object this server does not keep (a balance transaction) stays an id.
import type { Account } from "./account.ts";
import { StripeError } from "./errors.ts";
import { responseSpec, type ObjectRule } from "./response-spec.ts";

/** The expand[] parameter as qs parses it: `expand[]=a` (an array) or `expand[0]=a` (an object). */
const pathsOf = (paths: unknown): string[] => (Array.isArray(paths) ? paths : paths && typeof paths === "object" ? Object.values(paths) : []).map(String);

/** Throws Stripe's 400 unless every path names fields the answer of `endpoint` can expand. */
export function checkExpand(endpoint: string, paths: unknown): void {
  const answer = responseSpec.endpoints[endpoint];
  if (!answer) throw new Error(`no response schema for ${endpoint}`);
  for (const path of pathsOf(paths)) {
    let fields = path.split(".");
    if (answer.list) {
      if (fields[0] !== "data") throw StripeError.invalid(`This property cannot be expanded (${path}).`, "expand");
      fields = fields.slice(1);
    }
    let kind: string | undefined = answer.kind;
    for (const field of fields) {
      // Past a kind this server does not describe (or a nested object), Stripe's own rules cannot be checked here.
      const object: ObjectRule | undefined = kind ? responseSpec.objects[kind] : undefined;
      if (!object) break;
      if (!object.expandable.includes(field)) throw StripeError.invalid(`This property cannot be expanded (${path}).`, "expand");
      kind = object.properties[field]?.refs?.[0];
    }
  }
}

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
  const expanded = typeof value === "string" ? lookUp(account, value) : value;
  return { ...record, [field]: expandPath(account, expanded, rest) };
}

export function expand(account: Account, answer: unknown, paths: unknown): unknown {
  return pathsOf(paths).reduce((object: unknown, path) => expandPath(account, object, path.split(".")), answer);
}
