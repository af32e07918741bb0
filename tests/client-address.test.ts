// Who a client is, for the limits per client: only what the server itself saw
// (the TCP peer, stamped by lib/http/server-edge.server.ts with a proof only this
// process can make) or what a trusted proxy appended, and one key for all the
// addresses one client is sure to have (an IPv6 /64; an IPv4 written as IPv6).
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import { clientAddress, UNKNOWN_CLIENT } from "../lib/http/client-address.server";
import { installServerEdge, PEER_HEADER, stampPeer } from "../lib/http/server-edge.server";

/** What clientAddress() makes of a request to a real server with the edge installed, sent to `host`. */
async function addressSeenByServer(listen: string, connect: string, headers: Record<string, string> = {}): Promise<string> {
  installServerEdge();
  const server = http.createServer((request, response) => {
    const seen = new Headers();
    for (const [name, value] of Object.entries(request.headers)) if (typeof value === "string") seen.set(name, value);
    response.end(clientAddress(seen, 0));
  });
  await new Promise<void>((resolve) => server.listen(0, listen, resolve));
  try {
    const { port } = server.address() as AddressInfo;
    return await (await fetch(`http://${connect}:${port}/`, { headers })).text();
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

/** Whether this machine can listen on IPv6's `::` (a kernel or container without IPv6 cannot). */
async function canListenOnIpv6(): Promise<boolean> {
  const server = http.createServer();
  return new Promise((resolve) => {
    server.once("error", () => resolve(false));
    server.listen(0, "::", () => server.close(() => resolve(true)));
  });
}

describe("the client's address", () => {
  it("is never what the client put in the peer header itself, whatever its form", () => {
    const guesses = [
      "198.51.100.7",
      "2001:db8::7",
      `198.51.100.7 ${randomBytes(32).toString("base64url")}`,
      `198.51.100.7 ${randomBytes(32).toString("hex")}`,
      "198.51.100.7 ",
      " 198.51.100.7",
      "198.51.100.7, 198.51.100.8",
      "unknown",
      "",
    ];
    for (const value of guesses) {
      assert.equal(clientAddress(new Headers({ [PEER_HEADER]: value }), 0), UNKNOWN_CLIENT, JSON.stringify(value));
    }
    // Another process's stamp (another secret) is a guess as well: only this process's own stamp counts.
    const stamped = stampPeer("198.51.100.7");
    assert.equal(clientAddress(new Headers({ [PEER_HEADER]: stamped }), 0), "198.51.100.7");
    const otherAddress = stamped.replace("198.51.100.7", "198.51.100.8");
    assert.equal(clientAddress(new Headers({ [PEER_HEADER]: otherAddress }), 0), UNKNOWN_CLIENT, "a stamp moved to another address");
  });

  it("is the TCP peer's on a server with the edge installed, whatever peer header the client sent", async () => {
    assert.equal(await addressSeenByServer("127.0.0.1", "127.0.0.1", { [PEER_HEADER]: "198.51.100.7" }), "127.0.0.1");
    assert.equal(await addressSeenByServer("127.0.0.1", "127.0.0.1", { [PEER_HEADER]: stampPeer("198.51.100.7") }), "127.0.0.1");
  });

  it("of an IPv4 client on an IPv6 socket (::ffff:a.b.c.d) is its IPv4 address", async (t) => {
    if (!(await canListenOnIpv6())) return t.skip("this machine cannot listen on IPv6 (::), so no socket here sees ::ffff:a.b.c.d");
    assert.equal(await addressSeenByServer("::", "127.0.0.1"), "127.0.0.1");
  });

  it("groups IPv6 addresses by their /64, however written, and takes IPv4 written as IPv6 as IPv4", () => {
    const peer = (address: string) => clientAddress(new Headers({ [PEER_HEADER]: stampPeer(address) }), 0);
    const forwarded = (value: string) => clientAddress(new Headers({ "x-forwarded-for": value }), 1);
    for (const key of [peer, forwarded]) {
      assert.equal(key("2001:db8:1:2:3:4:5:6"), "2001:db8:1:2::/64");
      assert.equal(key("2001:DB8:1:2:ffff::1"), "2001:db8:1:2::/64", "another address of the same /64, upper case");
      assert.equal(key("2001:0db8:0001:0002:0000:0000:0000:0001"), "2001:db8:1:2::/64", "written out in full");
      assert.equal(key("2001:db8:1:3::1"), "2001:db8:1:3::/64", "the next /64 is another client");
      assert.equal(key("2001:db8::1"), "2001:db8::/64");
      assert.equal(key("fe80::1%eth0"), "fe80::/64", "a zone id");
      assert.equal(key("::1"), "::/64");
      assert.equal(key("::ffff:192.0.2.1"), "192.0.2.1", "IPv4-mapped");
      assert.equal(key("::ffff:c000:0201"), "192.0.2.1", "IPv4-mapped, in hex");
      assert.equal(key("192.0.2.1"), "192.0.2.1");
      for (const invalid of ["not an address", "192.0.2.256", "127.1", "0x7f.0.0.1", "2001:db8::1::2", "[2001:db8::1", "192.0.2.1:", "a".repeat(5000)]) {
        assert.equal(key(invalid), UNKNOWN_CLIENT, invalid.slice(0, 40));
      }
    }
    // The server's own stamp never has a port: one there is no stamp of ours.
    assert.equal(peer("192.0.2.1:8080"), UNKNOWN_CLIENT);
  });

  // Issue 25 review: Azure Application Gateway appends `ip:port` (and `[v6]:port`), which was no
  // address at all: every client behind it shared the one "unknown" allowance.
  it("behind trusted proxies that append a port (a.b.c.d:p, [v6]:p): the address without it; an entry that is no address is logged once", () => {
    const lines: string[] = [];
    const log = (line: string) => lines.push(line);
    const forwarded = (value: string) => clientAddress(new Headers({ "x-forwarded-for": value }), 1, log);
    assert.equal(forwarded("198.51.100.1, 203.0.113.5:54321"), "203.0.113.5");
    assert.equal(forwarded("[2001:db8:a:b::1]:443"), "2001:db8:a:b::/64");
    assert.equal(forwarded("[2001:db8:a:b::1]"), "2001:db8:a:b::/64");
    assert.equal(forwarded("[::ffff:203.0.113.5]:80"), "203.0.113.5");
    assert.deepEqual(lines, [], "nothing logged for addresses");
    for (const invalid of ["203.0.113.5:", "203.0.113.5:123456", "[2001:db8::1]:", "[203.0.113.5]:80", "[2001:db8::1]x:80", "host.example:80"]) {
      assert.equal(forwarded(invalid), UNKNOWN_CLIENT, invalid);
    }
    assert.equal(lines.length, 1, "logged once per process, not per request");
    assert.match(lines[0]!, /X-Forwarded-For/);
  });

  it("behind trusted proxies is the one the outermost appended, normalised; fewer entries than proxies is the peer's", () => {
    const headers = (forwarded: string) => new Headers({ "x-forwarded-for": forwarded, [PEER_HEADER]: stampPeer("10.0.0.9") });
    assert.equal(clientAddress(headers("198.51.100.1, ::ffff:203.0.113.5"), 1), "203.0.113.5");
    assert.equal(clientAddress(headers("198.51.100.1, 2001:db8:a:b::1, 10.0.0.2"), 2), "2001:db8:a:b::/64");
    assert.equal(clientAddress(headers("203.0.113.5"), 2), "10.0.0.9");
    assert.equal(clientAddress(new Headers({ "x-forwarded-for": "203.0.113.5" }), 2), UNKNOWN_CLIENT, "and without a stamped peer, unknown");
  });
});
