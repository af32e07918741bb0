import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // This folder is the app, not the repository around it (Next would take the
  // folder of the outer lock file for the root, and build the shop's files too).
  turbopack: { root: import.meta.dirname },
  outputFileTracingRoot: import.meta.dirname,
  // The SQLite driver is native: it stays outside the bundle.
  serverExternalPackages: ["@libsql/client", "libsql", "@prisma/adapter-libsql"],
  poweredByHeader: false,
};

export default nextConfig;
