// The TCP peer's address, stamped on every request before Next.js sees it.
// A route handler cannot see the socket, and `next start` only fills in
// X-Forwarded-For when the client sent none (so a client can name any address
// it likes there). Installed once per server process by instrumentation-node.ts;
// whatever a client sends in this header itself is overwritten.
import "server-only";
import http from "node:http";

export const PEER_HEADER = "x-payonce-peer";

let installed = false;

export function stampPeerAddresses() {
  if (installed) return;
  installed = true;
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === "request") {
      const request = args[0] as http.IncomingMessage;
      request.headers[PEER_HEADER] = request.socket.remoteAddress ?? "";
    }
    return emit.apply(this, [event, ...args] as Parameters<typeof emit>);
  } as typeof emit;
}
