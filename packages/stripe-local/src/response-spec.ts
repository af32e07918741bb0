// What Stripe's description says of the objects this server returns (the
// package's spec/responses.json, made with spec/requests.json by PayOnce's
// scripts/stripe-spec-subset.ts): which kind each endpoint answers, and of
// each kind its fields, which may be null, and which `expand[]` may name.
import { readFileSync } from "node:fs";

export type FieldRule = { types: string[]; nullable: boolean; enum?: unknown[]; refs?: string[] };
export type ObjectRule = { required: string[]; properties: Record<string, FieldRule>; expandable: string[] };

// Beside src/ and dist/ alike (the package's spec/ folder).
export const responseSpec = JSON.parse(readFileSync(new URL("../spec/responses.json", import.meta.url), "utf8")) as {
  apiVersion: string;
  endpoints: Record<string, { kind: string; list: boolean }>;
  objects: Record<string, ObjectRule>;
};
