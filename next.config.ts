import type { NextConfig } from "next";
import { NON_PAGE_CSP, SECURITY_HEADERS } from "./lib/http/security-headers";

const headerList = (headers: Record<string, string>) => Object.entries(headers).map(([key, value]) => ({ key, value }));

const nextConfig: NextConfig = {
  // Native and Node-only database drivers stay outside the bundle.
  // So does the OpenTelemetry SDK (loaded only with tracing on: lib/telemetry/tracing.server.ts).
  serverExternalPackages: [
    "@libsql/client",
    "libsql",
    "@prisma/adapter-libsql",
    "@prisma/adapter-pg",
    "pg",
    "@opentelemetry/sdk-node",
    "@prisma/instrumentation",
  ],
  poweredByHeader: false,
  typedRoutes: true,
  // `next dev` serves its scripts to localhost only; opened at 127.0.0.1 the page would never hydrate (no UI guard, silently).
  allowedDevOrigins: ["127.0.0.1", "localhost", "[::1]"],
  // Next.js 16.5's `next dev` writes an AGENTS.md (rules and upgrade notes for coding agents)
  // into the project: not for a shop someone just cloned.
  agentRules: false,
  // The lab kills `next dev` mid-write (a crash story); a file cache left half-written then kept
  // the restarted server recompiling, and every open page reloading, in a loop.
  experimental: { turbopackFileSystemCacheForDev: false, agentUpgrade: false },
  // Every response; pages get their Content-Security-Policy (with a nonce) from proxy.ts, the paths it skips this one.
  async headers() {
    const nonPage = headerList({ "Content-Security-Policy": NON_PAGE_CSP });
    return [
      { source: "/:path*", headers: headerList(SECURITY_HEADERS) },
      { source: "/api/:path*", headers: nonPage },
      { source: "/products/:path*", headers: nonPage },
      // Next's scripts and styles: a policy means nothing to a script, but "every response" stays true.
      { source: "/_next/static/:path*", headers: nonPage },
    ];
  },
};

export default nextConfig;
