// A client that loses the answer: the request is written whole on a raw
// socket (node:net, or node:tls for https), then the connection is closed
// before any answer is read, as when a phone loses its network or a proxy
// times out. fetch cannot do this: it reads what it asked for.
import net from "node:net";
import tls from "node:tls";
import type { Endpoint } from "./exchange.ts";

/** How the request ended: when it hung up, and whether any byte of the answer had come by then. */
export type HangUp = { afterMs: number; answerStarted: boolean };

/** The request as HTTP/1.1 bytes: the endpoint's headers, the key, the body's length, Connection: close. */
function requestBytes(endpoint: Endpoint, url: URL, key: string, body: string): string {
  const headers = new Headers(endpoint.headers);
  if (!headers.has("content-type")) headers.set("content-type", "application/json");
  headers.set("idempotency-key", key);
  headers.set("content-length", String(Buffer.byteLength(body)));
  headers.set("connection", "close");
  const lines = [`${endpoint.method} ${url.pathname}${url.search} HTTP/1.1`, `host: ${url.host}`, ...[...headers].map(([name, value]) => `${name}: ${value}`)];
  return `${lines.join("\r\n")}\r\n\r\n${body}`;
}

/**
 * Sends the request with `key`, waits `afterMs` once it is written (less if
 * the answer starts sooner), and closes the connection without reading.
 */
export function sendAndHangUp(endpoint: Endpoint, key: string, body: string, afterMs: number): Promise<HangUp> {
  const url = new URL(endpoint.url);
  const port = Number(url.port) || (url.protocol === "https:" ? 443 : 80);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return new Promise((resolve, reject) => {
    const socket = url.protocol === "https:" ? tls.connect({ host, port, servername: net.isIP(host) ? undefined : host }) : net.connect({ host, port });
    let written = 0;
    let timer: NodeJS.Timeout | undefined;
    const hangUp = (answerStarted: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ afterMs: written ? Date.now() - written : 0, answerStarted });
    };
    socket.once(url.protocol === "https:" ? "secureConnect" : "connect", () => {
      socket.write(requestBytes(endpoint, url, key, body), () => {
        written = Date.now();
        timer = setTimeout(() => hangUp(false), afterMs);
      });
    });
    socket.once("data", () => hangUp(true));
    socket.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
