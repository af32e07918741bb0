#!/usr/bin/env node
// payonce-conformance: the command line. Prints the table (or --json) and
// exits 0 when no rule failed, 1 when one did, 2 for wrong usage.
import { checkConformance } from "./check.ts";
import { HELP, parseCommandLine, UsageError } from "./args.ts";
import { formatTable } from "./table.ts";

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\nSee payonce-conformance --help.\n`);
    return 2;
  }
  if (parsed.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const report = await checkConformance(parsed.options).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return null;
  });
  if (!report) return 2;
  process.stdout.write(parsed.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatTable(report)}\n`);
  return report.passed ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
