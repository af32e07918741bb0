// Writes packages/stripe-local/spec/requests.json, the request parameters of every
// endpoint the local Stripe server serves, taken from Stripe's own OpenAPI
// description (github.com/stripe/openapi, MIT) without descriptions (the
// local server validates requests against it, as Stripe's stripe-mock does);
// and packages/stripe-local/spec/fixtures.json, Stripe's example object of each kind it
// serves (the conformance suite checks that ours have every field).
//
//   tsx scripts/stripe-spec-subset.ts <spec3.json> <fixtures3.json>
//
// Both are paths to files taken out of stripe/openapi (packages/stripe-local/spec/README.md
// says which commits). What the description cannot say of the version the server announces
// (it may be older) comes from the installed SDK's type declarations: each endpoint's top-level
// parameter names, and each returned object's fields (spec/responses.json).
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

// Each endpoint, with the SDK's type for its parameters (node_modules/stripe/esm/resources/<file>.d.ts).
export const ENDPOINTS = {
  "POST /v1/payment_intents": ["PaymentIntents", "PaymentIntentCreateParams"],
  "GET /v1/payment_intents": ["PaymentIntents", "PaymentIntentListParams"],
  "GET /v1/payment_intents/{intent}": ["PaymentIntents", "PaymentIntentRetrieveParams"],
  "POST /v1/payment_intents/{intent}": ["PaymentIntents", "PaymentIntentUpdateParams"],
  "POST /v1/payment_intents/{intent}/confirm": ["PaymentIntents", "PaymentIntentConfirmParams"],
  "POST /v1/payment_intents/{intent}/cancel": ["PaymentIntents", "PaymentIntentCancelParams"],
  "POST /v1/payment_intents/{intent}/capture": ["PaymentIntents", "PaymentIntentCaptureParams"],
  "POST /v1/refunds": ["Refunds", "RefundCreateParams"],
  "GET /v1/refunds": ["Refunds", "RefundListParams"],
  "GET /v1/refunds/{refund}": ["Refunds", "RefundRetrieveParams"],
  "GET /v1/charges": ["Charges", "ChargeListParams"],
  "GET /v1/charges/{charge}": ["Charges", "ChargeRetrieveParams"],
  "POST /v1/customers": ["Customers", "CustomerCreateParams"],
  "GET /v1/customers/{customer}": ["Customers", "CustomerRetrieveParams"],
  "GET /v1/payment_methods/{payment_method}": ["PaymentMethods", "PaymentMethodRetrieveParams"],
  "GET /v1/events": ["Events", "EventListParams"],
  "GET /v1/events/{id}": ["Events", "EventRetrieveParams"],
} as const;

/** An interface's body in the SDK's type declarations (node_modules/stripe/esm/<file>.d.ts), and what it extends. */
function sdkInterface(file: string, type: string): { body: string; extendsName?: string } {
  const source = readFileSync(path.resolve(import.meta.dirname, `../node_modules/stripe/esm/${file}.d.ts`), "utf8");
  const start = source.indexOf(`export interface ${type} `);
  if (start < 0) throw new Error(`no ${type} in the stripe SDK's ${file}.d.ts`);
  const header = source.slice(start, source.indexOf("{", start));
  return { body: source.slice(start, source.indexOf("\n}", start)), extendsName: header.match(/extends (\w+)/)?.[1] };
}

/** Each top-level field of an SDK interface (and of what it extends): its TypeScript type, and whether it may be left out. */
function sdkFields(file: string, type: string): Map<string, { optional: boolean; type: string }> {
  const { body, extendsName } = sdkInterface(file, type);
  const inherited = extendsName ? sdkFields(extendsName === "PaginationParams" ? "shared" : file, extendsName) : new Map();
  for (const m of body.matchAll(/^ {4}(\w+)(\??): ([^\n]*);$/gm)) inherited.set(m[1]!, { optional: m[2] === "?", type: m[3]! });
  return inherited;
}

/** The JSON types a TypeScript type stands for ("string | Stripe.Customer | null": string, object). */
function jsonTypes(tsType: string, aliases: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let part = "";
  for (const c of tsType) {
    if ("<({[".includes(c)) depth++;
    if (">)}]".includes(c)) depth--;
    if (c === "|" && depth === 0) {
      parts.push(part.trim());
      part = "";
    } else part += c;
  }
  parts.push(part.trim());
  const types = parts
    .filter((t) => t !== "null")
    .map((t) => {
      if (/^(string|'.*')$/.test(t) || new RegExp(`type ${t.split(".").at(-1)} = '`).test(aliases)) return "string";
      if (t === "number" || t === "boolean") return t;
      return /^Array<|\[\]$/.test(t) ? "array" : "object";
    });
  return [...new Set(types)];
}
type Json = { [key: string]: unknown };
type Parameter = { name: string; in: string; required?: boolean; schema: Json };
type Operation = { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: Json }> } };

const PROSE = ["description", "title", "x-stripeBypassValidation", "x-expansionResources"];

/** The schema without prose, which the validator does not need (property names stay, whatever they are). */
function bare(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(bare);
  if (!value || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value as Json)
      .filter(([k]) => !PROSE.includes(k))
      .map(([k, v]) => [k, k === "properties" ? Object.fromEntries(Object.entries(v as Json).map(([name, p]) => [name, bare(p)])) : bare(v)]),
  );
}

/** One object schema for what a request may carry: the form body (POST) or the query (GET). */
function requestSchema(method: string, operation: Operation): Json {
  const body = operation.requestBody?.content?.["application/x-www-form-urlencoded"]?.schema;
  if (method === "POST" && body) return bare(body) as Json;
  const query = (operation.parameters ?? []).filter((p) => p.in === "query");
  return {
    type: "object",
    properties: Object.fromEntries(query.map((p) => [p.name, bare(p.schema)])),
    required: query.filter((p) => p.required).map((p) => p.name),
  };
}

/** A returned field's JSON types: its own type, or each option's ($ref: an expanded object). */
function fieldTypes(schema: Json): string[] {
  const options = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  if (options) return [...new Set(options.flatMap(fieldTypes))];
  if (schema.$ref) return ["object"];
  return [schema.type === "integer" || schema.type === "number" ? "number" : String(schema.type ?? "object")];
}

/** The kinds of object a field may be expanded to (its $ref options), for `expand[]` paths through it. */
function refsOf(schema: Json): { refs?: string[] } {
  const options = ((schema.anyOf ?? schema.oneOf) as Json[] | undefined) ?? [schema];
  const refs = options.flatMap((o) => (typeof o.$ref === "string" ? [o.$ref.split("/").at(-1)!] : []));
  return refs.length ? { refs } : {};
}

/** What each endpoint answers: one object of a kind, or a list of them. */
function endpointAnswers(): Record<string, { kind: string; list: boolean }> {
  return Object.fromEntries(
    Object.keys(ENDPOINTS).map((endpoint) => {
      const [method, route] = endpoint.split(" ") as [string, string];
      const operation = spec.paths[route]?.[method.toLowerCase()] as Operation & { responses: Record<string, { content: Record<string, { schema: Json }> }> };
      const schema = operation.responses["200"]?.content["application/json"]?.schema ?? {};
      const items = (schema.properties as Record<string, Json> | undefined)?.data?.items as Json | undefined;
      // A retrieve may answer a deleted object instead (customer or deleted_customer): the first is the kind.
      const kind = refsOf(items ?? schema).refs?.[0];
      if (!kind) throw new Error(`${endpoint} answers no object of a kind in ${specPath}`);
      return [endpoint, { kind, list: !!items }];
    }),
  );
}

// Each kind of object the server returns, with the SDK's type for it.
const KIND_TYPES: Record<string, [file: string, type: string]> = {
  payment_intent: ["resources/PaymentIntents", "PaymentIntent"],
  charge: ["resources/Charges", "Charge"],
  refund: ["resources/Refunds", "Refund"],
  customer: ["resources/Customers", "Customer"],
  payment_method: ["resources/PaymentMethods", "PaymentMethod"],
  event: ["resources/Events", "EventBase"],
};

/**
 * What each kind of object the server returns must look like, one level deep,
 * at the version the SDK is of: its fields (the SDK's), each one's JSON types
 * (the description's, else the SDK's), whether it may be null and whether it
 * is always there (the SDK's), and which fields `expand[]` may name
 * (x-expandableFields, with the kind each leads to).
 */
function responseSchemas(schemas: Record<string, Json>) {
  return Object.fromEntries(
    KINDS.map((kind) => {
      const schema = schemas[kind];
      if (!schema) throw new Error(`no ${kind} schema in ${specPath}`);
      const [file, type] = KIND_TYPES[kind]!;
      const aliases = readFileSync(path.resolve(import.meta.dirname, `../node_modules/stripe/esm/${file}.d.ts`), "utf8");
      const described = schema.properties as Record<string, Json>;
      const fields = [...sdkFields(file, type)].map(([name, field]) => {
        const p = described[name];
        const types = p ? fieldTypes(p) : jsonTypes(field.type, aliases);
        return [name, { types, nullable: /\| null$/.test(field.type), ...(p?.enum ? { enum: p.enum } : {}), ...(p ? refsOf(p) : {}) }] as const;
      });
      const required = [...sdkFields(file, type)].filter(([, f]) => !f.optional).map(([name]) => name);
      return [kind, { required, properties: Object.fromEntries(fields), expandable: schema["x-expandableFields"] ?? [] }];
    }),
  );
}

const [specPath, fixturesPath] = process.argv.slice(2);
if (!specPath || !fixturesPath) {
  console.error("usage: tsx scripts/stripe-spec-subset.ts <stripe/openapi spec3.json> <fixtures3.json>");
  process.exit(2);
}
const KINDS = Object.keys(KIND_TYPES);
const spec = JSON.parse(readFileSync(specPath, "utf8")) as {
  info: { version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Json> };
};
const requests = Object.fromEntries(
  Object.entries(ENDPOINTS).map(([endpoint, [file, type]]) => {
    const [method, route] = endpoint.split(" ") as [string, string];
    const operation = spec.paths[route]?.[method.toLowerCase()];
    if (!operation) throw new Error(`${endpoint} is not in ${specPath}`);
    const schema = requestSchema(method, operation) as { properties: Json; required?: string[] };
    // The SDK is of the version this server announces: its top-level parameter names are that version's.
    // Those only it knows are accepted as they come (their rules are not in the description);
    // those only the description knows are gone at that version (Stripe: unknown parameter).
    const names = [...sdkFields(`resources/${file}`, type).keys()];
    schema.properties = Object.fromEntries(names.map((name) => [name, schema.properties[name] ?? { "x-sdk-only": true }]));
    if (schema.required) schema.required = schema.required.filter((name) => names.includes(name));
    return [endpoint, schema];
  }),
);
const dir = path.resolve(import.meta.dirname, "../packages/stripe-local/spec");
writeFileSync(path.join(dir, "requests.json"), `${JSON.stringify({ apiVersion: spec.info.version, requests })}\n`);
writeFileSync(
  path.join(dir, "responses.json"),
  `${JSON.stringify({ apiVersion: spec.info.version, endpoints: endpointAnswers(), objects: responseSchemas(spec.components.schemas) })}\n`,
);
const { resources } = JSON.parse(readFileSync(fixturesPath, "utf8")) as { resources: Record<string, unknown> };
writeFileSync(path.join(dir, "fixtures.json"), `${JSON.stringify(Object.fromEntries(KINDS.map((k) => [k, resources[k]])), null, 1)}\n`);
console.log(`wrote ${dir}: ${Object.keys(ENDPOINTS).length} endpoints (API version ${spec.info.version}), ${KINDS.length} example objects`);
