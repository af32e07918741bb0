// payonce-stripe, as a function: the bin (cli.ts) runs it on its arguments,
// and a project that builds the arguments itself (from its own settings) can
// run it in its own process. Resolves with the exit code: 2 for wrong usage,
// 1 when the server cannot start, 0 once a SIGINT or SIGTERM has stopped it.
import { HELP, parseCommandLine, UsageError } from "./args.ts";
import { OptionsError, RefusedSecretError } from "./options.ts";
import { start } from "./start.ts";

const SIGNALS = ["SIGINT", "SIGTERM"] as const;

export async function main(argv: string[]): Promise<number> {
  const usage = (message: string) => {
    process.stderr.write(`payonce-stripe: ${message}\n\n${HELP}`);
    return 2;
  };
  let parsed;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return usage(error.message);
  }
  if (parsed.help) {
    process.stdout.write(HELP);
    return 0;
  }
  let server;
  try {
    server = await start(parsed.options);
  } catch (error) {
    if (error instanceof OptionsError) return usage(error.message);
    const message = error instanceof RefusedSecretError ? error.message : `not started: ${(error as Error).message}`;
    process.stderr.write(`payonce-stripe: ${message}\n`);
    return 1;
  }
  console.log(`local Stripe listening on ${server.url}`);
  // Once: a second signal, while it stops, ends the process at once (Node's default).
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const stop = (name: NodeJS.Signals) => {
      for (const other of SIGNALS) process.off(other, stop);
      resolve(name);
    };
    for (const name of SIGNALS) process.on(name, stop);
  });
  console.log(`local Stripe: ${signal}, stopping`);
  await server.close();
  return 0;
}
