// Each campaign's own logs: a folder named for the campaign (seed, engine,
// mode, when, which process), holding every process's output and the report.
// Two campaigns never write to the same files (CI runs the protected campaign
// and then the unprotected one, and the second used to overwrite the first's
// logs). A violation about a request quotes the server's lines for it: the
// campaign's clients send an X-Request-Id with every request, and the app's
// unexpected-error line names it and the Idempotency-Key (lib/api/api-http.server.ts).
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/** The campaign's log folder under `parent` (created): e.g. chaos-1-postgres-protected-20261206T225500-4242. */
export function campaignLogDir(parent: string, campaign: { seed: number; db: string; unprotected: boolean }, now = new Date(), pid = process.pid) {
  const stamp = now.toISOString().replace(/[-:]/g, "").slice(0, 15);
  const dir = path.join(parent, `chaos-${campaign.seed}-${campaign.db}-${campaign.unprotected ? "unprotected" : "protected"}-${stamp}-${pid}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A line that continues the one before it: a stack frame, an error's fields, its closing brace. */
const CONTINUES = /^(\s|[}\]])/;
const MAX_LINES_EACH = 40;

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The lines of the folder's logs (`*.log`) that name one of `needles` (a
 * request id, an idempotency key) as a whole word (req-1 is not req-10), each
 * followed by what continues it (an error's stack), prefixed with the log's name.
 */
export function serverLines(dir: string, needles: string[]): string[] {
  const wanted = needles.filter((n) => n.length > 0);
  if (wanted.length === 0) return [];
  const names = new RegExp(`(^|[^\\w-])(${wanted.map(escape).join("|")})($|[^\\w-])`);
  const found: string[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith(".log"))
    .sort()) {
    const lines = readFileSync(path.join(dir, file), "utf8").split("\n");
    for (let i = 0; i < lines.length; i++) {
      if (!names.test(lines[i]!)) continue;
      const end = Math.min(lines.length, i + MAX_LINES_EACH);
      let j = i + 1;
      while (j < end && CONTINUES.test(lines[j]!)) j++;
      found.push(...lines.slice(i, j).map((line) => `${file}: ${line}`));
      i = j - 1;
    }
  }
  return found;
}
