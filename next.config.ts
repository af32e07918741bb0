import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Native and Node-only database drivers stay outside the bundle.
  serverExternalPackages: ["@libsql/client", "libsql", "@prisma/adapter-libsql", "@prisma/adapter-pg", "pg"],
  poweredByHeader: false,
  typedRoutes: true,
  // `next dev` serves its scripts to localhost only; opened at 127.0.0.1 the page would never hydrate (no UI guard, silently).
  allowedDevOrigins: ["127.0.0.1", "localhost", "[::1]"],
  // The lab kills `next dev` mid-write (a crash story); a file cache left half-written then kept
  // the restarted server recompiling, and every open page reloading, in a loop.
  // Next.js 16.5's `next dev` writes an AGENTS.md (rules and upgrade notes for coding agents)
  // into the project: not for a shop someone just cloned.
  agentRules: false,
  experimental: { turbopackFileSystemCacheForDev: false, agentUpgrade: false },
};

export default nextConfig;
