// A report as a person reads it: one row per rule (its id, pass/fail/skip,
// where it comes from, the evidence), and a closing count.
import type { Report } from "./check.ts";

export const DRAFT = "draft-ietf-httpapi-idempotency-key-header-06";

/** The closing line: "10 rules: 9 passed, 1 failed, 0 skipped". */
export function summary(report: Report): string {
  const n = (verdict: string) => report.results.filter((r) => r.verdict === verdict).length;
  return `${report.results.length} rules: ${n("pass")} passed, ${n("fail")} failed, ${n("skip")} skipped`;
}

export function formatTable(report: Report): string {
  const rows = [["rule", "result", "from", "evidence"], ...report.results.map((r) => [r.id, r.verdict, r.source, r.evidence])];
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join("  ")
      .trimEnd();
  return [
    `${report.method} ${report.url}`,
    `against ${DRAFT} (§ sections) and Stripe's practice`,
    "",
    line(rows[0]!),
    line(widths.map((w) => "-".repeat(w)).concat("-".repeat(8))),
    ...rows.slice(1).map(line),
    "",
    summary(report),
  ].join("\n");
}
