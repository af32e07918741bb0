// Runs once when a server instance starts: a wrong or missing setting stops
// it here, with the message from lib/env.server.ts, rather than at the first
// request that needs it. (Next.js itself would log the error and serve on.)
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env } = await import("./lib/env.server");
  try {
    env();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
