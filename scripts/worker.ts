// npm run worker: runs beside the app (npm run dev / npm start start it too).
// Every few seconds: finish abandoned checkout attempts, reap expired keys.
import { env } from "../lib/env.server";
import { completeAbandoned, reapExpired } from "../lib/maintenance.server";

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => (stopping = true));

console.log(`worker: every ${env().completerIntervalMs / 1000} s, complete abandoned attempts and reap expired keys`);
while (!stopping) {
  try {
    const { tried, completed } = await completeAbandoned();
    const reaped = await reapExpired();
    if (tried || reaped) console.log(`worker: completed ${completed}/${tried} abandoned attempts, reaped ${reaped} expired keys`);
  } catch (error) {
    console.error("worker:", error);
  }
  await new Promise((r) => setTimeout(r, env().completerIntervalMs));
}
process.exit(0);
