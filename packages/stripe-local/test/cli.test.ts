// payonce-stripe as a user runs it: --help (exit 0), wrong usage (one line
// and the usage, exit 2), a webhook secret it may not hold (it would sign
// events an app takes for Stripe's, for anyone who reaches it: exit 1, saying
// why), and, without one or with its own, it listens on loopback.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { HELP, parseCommandLine, UsageError } from "../src/index.ts";
import { listening, payonceStripe } from "./processes.ts";

async function finished(args: string[]) {
  const run = payonceStripe(args);
  return { code: await run.exited, output: run.output() };
}

describe("payonce-stripe", () => {
  it("--help lists every flag; exit 0", async () => {
    const { code, output } = await finished(["--help"]);
    assert.equal(code, 0);
    assert.equal(output, HELP);
    for (const flag of ["--port", "--host", "--webhook-url", "--state", "--latency-ms", "--webhook-secret", "--read-only-control", "--help"]) {
      assert.ok(output.includes(flag), flag);
    }
  });

  it("wrong usage: one line saying what is wrong, then the usage; exit 2", async () => {
    for (const [args, message] of [
      [["--nope"], /Unknown option '--nope'/],
      [["--port", "twelve"], /--port takes a whole number, not "twelve"/],
      [["--port", "70000"], /--port takes a whole number from 0 to 65535/],
      [["--state", "disk"], /--state takes memory or file:<path>/],
      [["--webhook-url", "not a url"], /--webhook-url is not a URL/],
      [["extra"], /Unexpected argument 'extra'/],
    ] as const) {
      const { code, output } = await finished([...args]);
      assert.equal(code, 2, output);
      const [first, ...rest] = output.split("\n");
      assert.match(first ?? "", /^payonce-stripe: /);
      assert.match(first ?? "", message);
      assert.equal(rest.join("\n"), `\n${HELP}`);
    }
  });

  it("parses what it is given, and leaves the rest to start()'s defaults", () => {
    assert.deepEqual(parseCommandLine(["--port", "0", "--state", "file:x.db", "--read-only-control"]), {
      help: false,
      options: { port: 0, state: "file:x.db", controlWrites: false },
    });
    assert.throws(() => parseCommandLine(["--latency-ms", "-1"]), UsageError);
  });

  it("refuses to start with a webhook secret other than its public one or a test's, saying why; exit 1", { timeout: 60_000 }, async () => {
    const { code, output } = await finished(["--port", "0", "--webhook-secret", "whsec_a_real_endpoint_secret"]);
    assert.equal(code, 1, output);
    assert.match(output, /^payonce-stripe: not started: the webhook secret given is not one this server may hold/);
    assert.match(output, /whsec_payonce_local/);
  });

  it("starts with its own public secret, a test's, or none, and listens on loopback by default", { timeout: 120_000 }, async () => {
    for (const secret of [[], ["--webhook-secret", "whsec_payonce_local"], ["--webhook-secret", "whsec_payonce_test_cli"]]) {
      const run = payonceStripe(["--port", "0", ...secret]);
      await listening(run);
      assert.match(run.output(), /listening on http:\/\/127\.0\.0\.1:\d+/);
      run.child.kill("SIGTERM");
      assert.equal(await run.exited, 0, run.output());
    }
  });
});
