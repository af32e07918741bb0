// The Node.js half of instrumentation.ts: Next.js itself would log a failed
// start-up and serve on, so a wrong setting ends the process here; and every
// request from now on goes through lib/server-edge.server.ts first.
import { env } from "./lib/env.server";
import { installServerEdge } from "./lib/server-edge.server";

installServerEdge();
try {
  env();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
