// What Stripe's description, and the SDK's types of the version this server
// announces, say of the objects it returns (the package's spec/responses.json,
// made with spec/requests.json by PayOnce's scripts/stripe-spec-subset.ts):
// which kind each endpoint answers, and of each kind its fields, which are
// always there, which may be null, and which `expand[]` may name.
import { readSpecFile } from "./spec-files.ts";

export type FieldRule = { types: string[]; nullable: boolean; enum?: unknown[]; refs?: string[] };
export type ObjectRule = { required: string[]; properties: Record<string, FieldRule>; expandable: string[] };

export const responseSpec = readSpecFile<{
  apiVersion: string;
  endpoints: Record<string, { kind: string; list: boolean }>;
  objects: Record<string, ObjectRule>;
}>("responses.json");
