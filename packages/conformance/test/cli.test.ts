// The command line, run as a user runs it: --help, wrong usage (exit 2), a
// correct endpoint (exit 0, the table), a naive one (exit 1, --json), effects
// counted through --count-url and through --count-command.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { parseCommandLine, UsageError } from "../src/args.ts";
import type { Report } from "../src/index.ts";
import { startEndpoint } from "./endpoints.ts";

const CLI = fileURLToPath(new URL("../src/cli.ts", import.meta.url));

function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", CLI, ...args]);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d));
    child.stderr.on("data", (d: Buffer) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const countFile = path.join(tmpdir(), `conformance-count-${process.pid}.txt`);

describe("payonce-conformance", () => {
  let correct: Awaited<ReturnType<typeof startEndpoint>>;
  let naive: Awaited<ReturnType<typeof startEndpoint>>;
  before(async () => {
    correct = await startEndpoint({ kind: "correct", inFlight: "409" }, 50);
    // Orders slow enough that the retry after a hang-up comes while the first still runs.
    naive = await startEndpoint({ kind: "naive" }, 300, countFile);
  });
  after(async () => {
    await correct.close();
    await naive.close();
    rmSync(countFile, { force: true });
  });

  it("--help lists every option, every rule and an example; exit 0", async () => {
    const { code, stdout } = await cli("--help");
    assert.equal(code, 0);
    for (const word of [
      "--header",
      "--body",
      "--error-body",
      "--count-url",
      "--count-command",
      "--count-path",
      "--key-optional",
      "--json",
      "--timeout",
      "lost-response",
      "Example",
    ]) {
      assert.ok(stdout.includes(word), word);
    }
  });

  it("wrong usage says what is wrong; exit 2", async () => {
    for (const [args, message] of [
      [["ftp://x/y", "-d", "{}", "--count-url", "http://x/c"], /Not an http\(s\) URL/],
      [["http://x/y", "--count-url", "http://x/c"], /Give the request body/],
      [["http://x/y", "-d", "{}"], /one way to count effects/],
      [["http://x/y", "-d", "{}", "--count-url", "http://x/c", "--count-command", "echo 1"], /one way to count effects/],
      [["http://x/y", "-d", "@/no/such/file", "--count-url", "http://x/c"], /Cannot read \/no\/such\/file/],
      [["http://x/y", "-d", "{}", "--count-url", "http://x/c", "-H", "no colon"], /"Name: value"/],
      [["http://x/y", "-d", "{}", "--count-url", "http://x/c", "--concurrency", "1"], /--concurrency takes a whole number of at least 2/],
      [["http://x/y", "--nope"], /Unknown option '--nope'/],
    ] as const) {
      assert.throws(
        () => parseCommandLine([...args]),
        (error) => error instanceof UsageError && message.test(error.message),
        args.join(" "),
      );
    }
    const { code, stderr } = await cli();
    assert.equal(code, 2);
    assert.equal(stderr, "Give the endpoint's URL, once.\nSee payonce-conformance --help.\n");
  });

  it("a correct endpoint: the table, every rule passed; exit 0 (a body from a file, the count from a URL)", async () => {
    const file = path.join(tmpdir(), `conformance-body-${process.pid}.json`);
    writeFileSync(file, '{"email":"c-{{unique}}@example.com","card":"visa"}');
    const { code, stdout } = await cli(
      correct.url,
      "-d",
      `@${file}`,
      "--error-body",
      '{"email":"{{unique}}","card":"declined"}',
      "--count-url",
      correct.countUrl,
    );
    assert.equal(code, 0, stdout);
    assert.match(stdout, /^POST http:\/\/127\.0\.0\.1:\d+\/orders\n/);
    assert.match(stdout, /^concurrent +pass +draft §2\.6, §2\.7 +10 at once: /m);
    assert.match(stdout, /\n10 rules: 10 passed, 0 failed, 0 skipped\n$/);
  });

  it("a naive endpoint: --json, its failures; exit 1 (the count from a command)", async () => {
    const { code, stdout } = await cli(naive.url, "-d", '{"email":"{{unique}}"}', "--count-command", `cat ${countFile}`, "--json");
    assert.equal(code, 1, stdout);
    const report = JSON.parse(stdout) as Report;
    assert.equal(report.passed, false);
    assert.deepEqual(
      report.results.filter((r) => r.verdict !== "pass").map((r) => `${r.id} ${r.verdict}`),
      ["concurrent fail", "payload-mismatch fail", "key-malformed fail", "lost-response fail", "replay-error skip"],
    );
    assert.ok(report.results.every((r) => r.title && r.source && r.evidence));
  });
});
