// Every request checked against Stripe's own description of its API
// (the package's spec/requests.json, from github.com/stripe/openapi, with the
// top-level parameter names of the version the server announces, from the
// SDK's types; see spec/README.md), as Stripe's stripe-mock does: unknown, missing, empty, mistyped and
// out-of-enum parameters are 400 invalid_request_errors naming the `param`,
// with Stripe's codes and messages.
import { StripeError } from "./errors.ts";
import { readSpecFile } from "./spec-files.ts";

type Schema = {
  type?: "object" | "array" | "string" | "integer" | "number" | "boolean";
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  required?: string[];
  enum?: unknown[];
  anyOf?: Schema[];
  items?: Schema;
  maxLength?: number;
  /** unix-time (an integer), decimal (a number as a string), binary (a file). */
  format?: string;
  /** A parameter only the SDK's types know (newer than the description): taken as it comes. */
  "x-sdk-only"?: boolean;
};

const spec = readSpecFile<{
  apiVersion: string;
  requests: Record<string, Schema>;
}>("requests.json");

/** Throws the StripeError Stripe would answer if `params` do not fit `endpoint` ("POST /v1/payment_intents"). */
export function validateRequest(endpoint: string, params: Record<string, unknown>): void {
  const schema = spec.requests[endpoint];
  if (!schema) throw new Error(`no request schema for ${endpoint}`);
  check(params, schema, "");
}

export const SPEC_ENDPOINTS = Object.keys(spec.requests);

const child = (param: string, key: string) => (param ? `${param}[${key}]` : key);
const shown = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));

/** "a, b, or c", as Stripe lists enum values. */
function oneOf(values: unknown[]): string {
  const items = values.filter((v) => v !== "").map(String);
  return items.length > 1 ? `${items.slice(0, -1).join(", ")}, or ${items.at(-1)}` : (items[0] ?? "");
}

const invalid = (message: string, param: string, code?: string) => StripeError.invalid(message, param, code);

function check(value: unknown, schema: Schema, param: string): void {
  if (schema["x-sdk-only"]) return;
  if (schema.anyOf) return checkAnyOf(value, schema.anyOf, param);
  if (value === "" && !schema.enum?.includes("")) {
    throw invalid(
      `You passed an empty string for '${param}'. We assume empty values are an attempt to unset a parameter; however '${param}' cannot be unset. You should remove '${param}' from your request or supply a non-empty value.`,
      param,
      "parameter_invalid_empty",
    );
  }
  switch (schema.type) {
    case "object":
      return checkObject(value, schema, param);
    case "array": {
      // Form encoding gives `a[]=x` as an array and `a[0]=x` as an object with numeric keys.
      const items = Array.isArray(value) ? value : isRecord(value) && Object.keys(value).every((k) => /^\d+$/.test(k)) ? Object.values(value) : null;
      if (!items) throw invalid(`Invalid array`, param, "parameter_invalid_array");
      items.forEach((item, i) => schema.items && check(item, schema.items, `${param}[${i}]`));
      return;
    }
    case "integer":
      if (typeof value !== "string" || !/^-?\d+$/.test(value)) throw invalid(`Invalid integer: ${shown(value)}`, param, "parameter_invalid_integer");
      return;
    case "number":
      if (typeof value !== "string" || !Number.isFinite(Number(value))) throw invalid(`Invalid decimal: ${shown(value)}`, param);
      return;
    case "boolean":
      if (value !== "true" && value !== "false") throw invalid(`Invalid boolean: ${shown(value)}`, param);
      return;
    case "string":
    default:
      if (typeof value !== "string") throw invalid(`Invalid string: ${shown(value)}`, param);
      if (schema.enum && !schema.enum.includes(value)) throw invalid(`Invalid ${param}: must be one of ${oneOf(schema.enum)}`, param);
      if (schema.maxLength !== undefined && value.length > schema.maxLength) {
        throw invalid(`Invalid string: ${value.slice(0, 20)}...; must be at most ${schema.maxLength} characters`, param);
      }
      checkFormat(value, schema.format, param);
  }
}

/**
 * A string in the form its parameter takes: the formats the description
 * declares (decimal), and e-mail addresses, which it declares only in prose
 * (every `email` and `…_email` parameter), as Stripe checks them.
 */
function checkFormat(value: string, format: string | undefined, param: string) {
  if (format === "decimal" && !/^-?\d+(\.\d+)?$/.test(value)) throw invalid(`Invalid decimal: ${value}`, param);
  if (/(^|_|\[)email\]?$/.test(param) && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) {
    throw invalid(`Invalid email address: ${value}`, param, "email_invalid");
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => !!value && typeof value === "object" && !Array.isArray(value);

function checkObject(value: unknown, schema: Schema, param: string) {
  if (!isRecord(value)) throw invalid(`Invalid object`, param, "parameter_invalid_object");
  const open = typeof schema.additionalProperties === "object" || schema.additionalProperties === true;
  const unknown = Object.keys(value).filter((k) => !schema.properties?.[k] && !open);
  if (unknown.length === 1) throw invalid(`Received unknown parameter: ${child(param, unknown[0]!)}`, child(param, unknown[0]!), "parameter_unknown");
  if (unknown.length > 1)
    throw invalid(`Received unknown parameters: ${unknown.map((k) => child(param, k)).join(", ")}`, child(param, unknown[0]!), "parameter_unknown");
  const missing = (schema.required ?? []).find((k) => value[k] === undefined);
  if (missing) throw invalid(`Missing required param: ${child(param, missing)}.`, child(param, missing), "parameter_missing");
  for (const [key, item] of Object.entries(value)) {
    const property = schema.properties?.[key];
    if (property) check(item, property, child(param, key));
    // Free-form keys (metadata): "" unsets one.
    else if (typeof schema.additionalProperties === "object" && item !== "") check(item, schema.additionalProperties, child(param, key));
  }
}

/** The first option that fits; otherwise the complaint of the option shaped most like the value. */
function checkAnyOf(value: unknown, options: Schema[], param: string) {
  const failures: StripeError[] = [];
  for (const option of options) {
    try {
      check(value, option, param);
      return;
    } catch (error) {
      if (!(error instanceof StripeError)) throw error;
      failures.push(error);
    }
  }
  const shaped = options.findIndex(
    (o) => (o.type === "object" || o.type === "array") === (typeof value === "object" && value !== null) && !o.enum?.includes(""),
  );
  throw failures[shaped >= 0 ? shaped : 0]!;
}
