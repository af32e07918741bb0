// Loaded first (node --import; scripts/app-processes.ts) into every process
// scripts/supervise.ts starts, `next start` included, whose code is not ours.
// Each runs in a process group of its own, which the supervisor stops whole;
// but a supervisor killed outright (kill -9 of it, or of `npm start`'s process
// group) stops nothing, and its children, out of reach of a signal to its
// group, would run on: holding their ports (the next start fails) or a second
// worker beside the next start's. So each watches its IPC channel to the
// supervisor: when it closes, the supervisor is gone, and the process stops
// its own group as the supervisor would have (SIGTERM, then SIGKILL after the
// grace period). Linux's PR_SET_PDEATHSIG would do it without a channel, but
// Node reaches prctl(2) only through a native module.
import { STOP_GRACE_MS } from "./app-processes";

// Never what keeps alive a process that would otherwise end.
process.channel?.unref();
process.once("disconnect", () => {
  // 0: this process's group, which it leads (the supervisor starts it detached).
  process.kill(0, "SIGTERM");
  setTimeout(() => process.kill(0, "SIGKILL"), STOP_GRACE_MS).unref();
});
