// The effects the endpoint made (orders, charges, rows), counted through what
// the user gives: a URL whose GET answers a count, or a shell command that
// prints one. A rule compares the count before and after its requests; the
// checker knows nothing else of the server.
import { exec } from "node:child_process";
import { promisify } from "node:util";
import { trimmed } from "./exchange.ts";

export type CountEffects = () => Promise<number>;

/** What a count is read from: a JSON path into the answer (`data.total`, `items`: an array counts its members). */
export type CountSource = { path?: string; timeoutMs: number };

/**
 * A count from text: a number (`3`, or psql's `  3`), or JSON: a number, an
 * array (its length), an object's `count`, or the value at `path` (dots, array
 * indexes as numbers; an array there counts its members).
 */
export function readCount(text: string, path?: string): number {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = text.trim() === "" ? undefined : Number(text.trim());
  }
  if (path) {
    for (const step of path.split(".")) value = value !== null && typeof value === "object" ? (value as Record<string, unknown>)[step] : undefined;
  } else if (value !== null && typeof value === "object" && !Array.isArray(value) && "count" in value) {
    value = value.count;
  }
  if (Array.isArray(value)) return value.length;
  if (typeof value === "number" && Number.isInteger(value) && value >= 0) return value;
  throw new Error(`No count${path ? ` at "${path}"` : ""} in ${JSON.stringify(trimmed(text, 120))}.`);
}

/** Counts with a GET of `url` (with `headers`). */
export function countFromUrl(url: string, headers: Record<string, string>, source: CountSource): CountEffects {
  return async () => {
    const response = await fetch(url, { headers, signal: AbortSignal.timeout(source.timeoutMs) });
    const text = await response.text();
    if (!response.ok) throw new Error(`The count URL answered ${response.status}: ${trimmed(text, 120)}`);
    return readCount(text, source.path);
  };
}

const run = promisify(exec);

/** Counts with a shell command's output. */
export function countFromCommand(command: string, source: CountSource): CountEffects {
  return async () => {
    const { stdout } = await run(command, { timeout: source.timeoutMs });
    return readCount(stdout, source.path);
  };
}
