import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // This folder is the app, not the repository around it (Next would take the
  // folder of the outer lock file for the root, and build the shop's files too).
  turbopack: { root: import.meta.dirname },
  outputFileTracingRoot: import.meta.dirname,
  // The SQLite driver is native: it stays outside the bundle.
  serverExternalPackages: ["@libsql/client", "libsql", "@prisma/adapter-libsql"],
  poweredByHeader: false,
  // Next.js 16.5's `next dev` writes an AGENTS.md (notes for coding agents) into the project: not wanted here.
  agentRules: false,
};

export default nextConfig;
