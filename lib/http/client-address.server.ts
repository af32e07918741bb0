// Who a client is, for the limits one client may not pass (sessions per hour,
// units held unpaid, sign-in links): never a header a client can choose. By
// default the TCP peer, as lib/http/server-edge.server.ts stamped it; behind
// TRUSTED_PROXY_HOPS trusted proxies, the address the outermost of them
// appended to X-Forwarded-For (what the client put before it is ignored),
// with any port it added taken off (`a.b.c.d:port` and `[v6]:port`, as Azure
// Application Gateway writes them); an entry that is still no address is
// logged once per process (a proxy set up wrong would make every client one).
// One client is one key: an IPv6 client is its /64 (the least a network gives
// one customer, who can pick any address in it), an IPv4 address written as
// IPv6 (::ffff:a.b.c.d, a dual-stack socket's) is that IPv4 address. Without
// an address we can believe (no stamp: a request served before the edge was
// installed, or not through it; an entry that is no address), the client is
// UNKNOWN_CLIENT: all such requests share one allowance, so none escapes the
// limits by naming an address of its choice.
import "server-only";
import { isIP } from "node:net";
import ipaddr from "ipaddr.js";
import { env } from "../env.server";
import { PEER_HEADER, stampedPeer } from "./server-edge.server";

export const UNKNOWN_CLIENT = "unknown";

type Log = (line: string) => void;
const warn: Log = (line) => console.warn(line);
const loggedTo = new WeakSet<Log>();

export function clientAddress(headers: Headers, hops = env().trustedProxyHops, log: Log = warn): string {
  const forwarded = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((a) => a.trim())
    .filter(Boolean);
  // Fewer entries than proxies: the request did not come through all of them.
  if (hops === 0 || forwarded.length < hops) return addressKey(stampedPeer(headers.get(PEER_HEADER)) ?? "") ?? UNKNOWN_CLIENT;
  const entry = forwarded[forwarded.length - hops]!;
  const key = addressKey(withoutPort(entry));
  if (key) return key;
  if (!loggedTo.has(log)) {
    loggedTo.add(log);
    log(
      `client-address: the X-Forwarded-For entry of the trusted proxy (TRUSTED_PROXY_HOPS=${hops}) is no address: ${JSON.stringify(entry.slice(0, 100))}; such clients share one allowance (logged once)`,
    );
  }
  return UNKNOWN_CLIENT;
}

/** `a.b.c.d:port` → a.b.c.d, `[v6]:port` and `[v6]` → v6; anything else as it is. */
function withoutPort(entry: string): string {
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(entry);
  if (v4) return v4[1]!;
  const v6 = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(entry);
  return v6 && isIP(v6[1]!) === 6 ? v6[1]! : entry;
}

/** The key of the client at `address` (an IPv6 /64, or an IPv4 address); null if it is not an address. */
function addressKey(address: string): string | null {
  // Node's check is strict: no "127.1", no "0x7f.0.0.1" (which ipaddr.js would parse).
  if (isIP(address) === 0) return null;
  const parsed = ipaddr.process(address); // ::ffff:a.b.c.d → a.b.c.d
  if (parsed.kind() === "ipv4") return parsed.toString();
  const [a = 0, b = 0, c = 0, d = 0] = (parsed as ipaddr.IPv6).parts;
  return `${new ipaddr.IPv6([a, b, c, d, 0, 0, 0, 0]).toString()}/64`;
}
