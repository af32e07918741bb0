// The Node.js half of instrumentation.ts: Next.js itself would log a failed
// start-up and serve on, so a wrong setting ends the process here; and every
// request from now on carries its TCP peer's address (lib/peer-address.server.ts).
import { env } from "./lib/env.server";
import { stampPeerAddresses } from "./lib/peer-address.server";

stampPeerAddresses();
try {
  env();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
