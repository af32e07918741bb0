// Who a client is, for the limits one client may not pass (sessions per hour,
// units held unpaid): never a header a client can choose. By default the TCP
// peer (lib/server-edge.server.ts stamps it); behind TRUSTED_PROXY_HOPS
// trusted proxies, the address the outermost of them appended to
// X-Forwarded-For (what the client put before it is ignored).
import "server-only";
import { env } from "./env.server";
import { PEER_HEADER } from "./server-edge.server";

export function clientAddress(headers: Headers): string {
  const peer = headers.get(PEER_HEADER) || "unknown";
  const hops = env().trustedProxyHops;
  if (hops === 0) return peer;
  const forwarded = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((a) => a.trim())
    .filter(Boolean);
  // Fewer entries than proxies: the request did not come through all of them.
  return (forwarded.length >= hops ? forwarded[forwarded.length - hops] : undefined)?.slice(0, 100) ?? peer;
}
