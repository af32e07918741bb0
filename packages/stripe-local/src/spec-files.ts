// The package's spec/ folder (Stripe's description of its API, cut to what
// this server serves: see spec/README.md), read once at start. It sits
// beside src/ and dist/ alike, so one relative URL serves both.
import { readFileSync } from "node:fs";

export const readSpecFile = <T>(name: "requests.json" | "responses.json"): T =>
  JSON.parse(readFileSync(new URL(`../spec/${name}`, import.meta.url), "utf8")) as T;
