// A client that hangs up in the middle of its request (a browser dropping a
// form post when Pay is clicked again, a closed tab) makes Node destroy the
// request with `Error: aborted` (ECONNRESET). Next.js 16 lets that surface as
// an `uncaughtException`, and its proxy's body copy logs it again
// (vercel/next.js#42365, #84649; fix proposed in #94658), up to three stack
// traces per hang-up that look like a crashed server. Here it is logged as
// what it is, once: one line naming the hang-up. Every other error passes
// through untouched.
import "server-only";

/** Node's error for a request whose client went away before it was complete (`abortIncoming`). */
export function isClientHangUp(error: unknown): boolean {
  return error instanceof Error && error.message === "aborted" && (error as NodeJS.ErrnoException).code === "ECONNRESET";
}

export const HANG_UP_LINE = "client hung up before its request was complete (ECONNRESET): nothing to answer";

/** Installs the filter in this server process (instrumentation-node.ts); a second call changes nothing. */
export function logClientHangUpsOnce(log: (line: string) => void = (line) => console.warn(line)) {
  if (installed) return;
  installed = true;
  const seen = new WeakSet<Error>();
  const once = (error: Error) => {
    if (!seen.has(error)) log(HANG_UP_LINE);
    seen.add(error);
  };
  // Before any uncaughtException listener (Next.js logs from its own): handled here.
  const emit = process.emit.bind(process) as (event: string | symbol, ...args: unknown[]) => boolean;
  process.emit = ((event: string | symbol, ...args: unknown[]) => {
    if (event === "uncaughtException" && isClientHangUp(args[0])) {
      once(args[0] as Error);
      return true;
    }
    return emit(event, ...args);
  }) as typeof process.emit;
  // Next.js's own catch blocks log the same error object with console.error.
  const error = console.error.bind(console);
  console.error = (...args: unknown[]) => {
    const hangUp = args.find(isClientHangUp) as Error | undefined;
    if (hangUp) return once(hangUp);
    error(...args);
  };
}

let installed = false;
