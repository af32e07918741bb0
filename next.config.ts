import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Native and Node-only database drivers stay outside the bundle.
  serverExternalPackages: ["@libsql/client", "libsql", "@prisma/adapter-libsql", "@prisma/adapter-pg", "pg"],
  poweredByHeader: false,
  typedRoutes: true,
  // `next dev` serves its scripts to localhost only; opened at 127.0.0.1 the page would never hydrate (no UI guard, silently).
  allowedDevOrigins: ["127.0.0.1", "localhost", "[::1]"],
};

export default nextConfig;
