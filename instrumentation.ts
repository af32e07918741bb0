// Runs once when a server instance starts: a wrong or missing setting stops
// it here (instrumentation-node.ts), with the message from lib/env.server.ts,
// rather than at the first request that needs it.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") await import("./instrumentation-node");
}
