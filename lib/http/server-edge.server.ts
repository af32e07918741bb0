// What this server process does to every request before Next.js sees it
// (installed once by instrumentation-node.ts, on Node's own HTTP server):
// - stamps the TCP peer's address: a route handler cannot see the socket, and
//   `next start` only fills in X-Forwarded-For when the client sent none (so a
//   client can name any address it likes there). The stamp carries an HMAC of
//   the address with a random secret of this process, and only a stamp with
//   the right HMAC is believed: a client's own value of the header is
//   overwritten here, and where it is not (a request Next.js serves before
//   instrumentation-node.ts ran; `next dev --experimental-https`, whose
//   https.Server is not an http.Server) it proves nothing;
// - stops reading a body nobody read: once the answer is out, Node would read
//   (and drop) the rest of the body however long it is; instead the connection
//   is closed after the answer, with a little more read so that the answer is
//   not lost to a reset.
import "server-only";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { Socket } from "node:net";

export const PEER_HEADER = "x-payonce-peer";

// One secret per process, on globalThis: Next.js bundles this module more than
// once (instrumentation, each route), and every copy must stamp and check alike.
const SECRET = Symbol.for("payonce.server-edge.peer-secret");
const processSecret = () => ((globalThis as { [SECRET]?: Buffer })[SECRET] ??= randomBytes(32));
const proof = (address: string) => createHmac("sha256", processSecret()).update(address).digest("base64url");

/** The peer header's value for a request from `address`: the address and its proof. */
export const stampPeer = (address: string) => `${address} ${proof(address)}`;

/** The address in a peer header this process stamped; null for anything else (absent, a client's own, another process's). */
export function stampedPeer(value: string | null): string | null {
  const [address, given, ...rest] = value?.split(" ") ?? [];
  if (!address || !given || rest.length > 0) return null;
  const expected = Buffer.from(proof(address));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected) ? address : null;
}

/** What is read (and dropped) of an unread body after the answer, at most, before the connection is cut. */
const LINGER_BYTES = 256 * 1024;
const LINGER_MS = 2000;

let installed = false;

export function installServerEdge() {
  if (installed) return;
  installed = true;
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === "request") {
      const [request, response] = args as [http.IncomingMessage, http.ServerResponse];
      // Captured now: by the time the answer is out, Node may have detached them from their socket.
      const socket: Socket | null = request.socket ?? response.socket;
      const address = socket?.remoteAddress;
      if (address) request.headers[PEER_HEADER] = stampPeer(address);
      else delete request.headers[PEER_HEADER];
      if (socket) response.once("finish", () => closeIfUnread(request, socket));
    }
    return emit.apply(this, [event, ...args] as Parameters<typeof emit>);
  } as typeof emit;
}

function closeIfUnread(request: http.IncomingMessage, socket: Socket) {
  if (request.complete || socket.destroyed) return;
  const cut = () => socket.destroy();
  const timer = setTimeout(cut, LINGER_MS).unref();
  socket.once("close", () => clearTimeout(timer));
  let dropped = 0;
  request.on("data", (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > LINGER_BYTES) cut();
  });
  socket.end();
}
