// What this server process does to every request before Next.js sees it
// (installed once by instrumentation-node.ts, on Node's own HTTP server):
// - stamps the TCP peer's address: a route handler cannot see the socket, and
//   `next start` only fills in X-Forwarded-For when the client sent none (so a
//   client can name any address it likes there); a client's own value of this
//   header is overwritten;
// - stops reading a body nobody read: once the answer is out, Node would read
//   (and drop) the rest of the body however long it is; instead the connection
//   is closed after the answer, with a little more read so that the answer is
//   not lost to a reset.
import "server-only";
import http from "node:http";
import type { Socket } from "node:net";

export const PEER_HEADER = "x-payonce-peer";

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
      request.headers[PEER_HEADER] = socket?.remoteAddress ?? "";
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
