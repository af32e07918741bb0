// A server started from code (a test runner's setup) as the command line
// starts one: start(options) listens and answers where, close() stops it
// (connections, webhook tries, the state file). Nothing a client sends may
// stop it: bodies are bounded in size (body.ts) and time, a client that hangs
// up is forgotten, a malformed request is a 400; each request is logged.
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { handleApi, type Incoming } from "./api.ts";
import { STRIPE_API_VERSION } from "./api-version.ts";
import { AUTHENTICATION_PATH, authenticationPage } from "./authentication-page.ts";
import { BodyTooLarge, MAX_BODY_BYTES, readBody } from "./body.ts";
import { handleControl } from "./control.ts";
import { newId } from "./ids.ts";
import { settingsFrom, type Settings, type StartOptions } from "./options.ts";
import { StripeError } from "./errors.ts";
import { errorReply, internalError, type LogLine, type Reply } from "./reply.ts";
import { ServerState } from "./state.ts";

export type StartedServer = {
  /** http://host:port, for the SDK's host/port/protocol options and the control API. */
  url: string;
  port: number;
  /** Stops listening, ends every connection and webhook try, and closes the state file. */
  close(): Promise<void>;
};

const json = { "Content-Type": "application/json" };

/** Starts a server; rejects with OptionsError for options that cannot be (a real webhook secret among them). */
export async function start(options: StartOptions = {}): Promise<StartedServer> {
  const settings = settingsFrom(options);
  const state = new ServerState(settings);
  // Timeouts are checked every second (Node's default is every 30 s).
  const server = createServer({ connectionsCheckingInterval: 1000 }, (req, res) => {
    handle(state, settings, origin, req, res).catch((error: unknown) => {
      console.error(error);
      if (!res.headersSent && !res.destroyed) res.writeHead(500, json).end('{"error":{"type":"api_error"}}');
    });
  });
  server.requestTimeout = settings.requestTimeoutMs;
  server.headersTimeout = Math.min(settings.requestTimeoutMs, 60_000);
  // A request not all in within the timeout is a 408, bytes that are no HTTP at
  // all a 400, each with a Stripe-shaped error body (a bodiless answer reaches
  // an SDK user as "Invalid JSON received from the Stripe API"), then the
  // connection is closed.
  server.on("clientError", (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const [status, message] =
      error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? ["408 Request Timeout", `The request was not received within ${settings.requestTimeoutMs} ms.`]
        : ["400 Bad Request", "The request could not be read as HTTP."];
    const body = JSON.stringify(errorReply(StripeError.invalid(message)).body);
    socket.end(`HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(settings.port, settings.host, resolve);
    });
  } catch (error) {
    state.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const url = `http://${settings.host.includes(":") ? `[${settings.host}]` : settings.host}:${port}`;
  /** Where the client reached this server (the authentication page is linked from here). */
  function origin(req: IncomingMessage): string {
    const host = req.headers.host ?? "";
    return /^[\w.-]+(:\d+)?$/.test(host) ? `http://${host}` : url;
  }
  return {
    url,
    port,
    async close() {
      const closed = once(server, "close");
      server.close();
      server.closeAllConnections();
      await closed;
      state.close();
    },
  };
}

async function handle(state: ServerState, settings: Settings, origin: (req: IncomingMessage) => string, req: IncomingMessage, res: ServerResponse) {
  const started = Date.now();
  const log: LogLine = { requestId: newId("req") };
  if (!URL.canParse(req.url ?? "/", "http://localhost")) {
    res.writeHead(400, { ...json, Connection: "close" }).end(JSON.stringify(errorReply(StripeError.invalid("Malformed request URL.")).body));
    return;
  }
  const url = new URL(req.url ?? "/", "http://localhost");
  let rawBody: string;
  try {
    rawBody = await readBody(req);
  } catch (error) {
    if (!(error instanceof BodyTooLarge)) return; // the client hung up: nobody to answer
    res
      .writeHead(413, { ...json, Connection: "close" })
      .end(JSON.stringify(errorReply(StripeError.invalid(`Request bodies may be at most ${MAX_BODY_BYTES} bytes.`)).body));
    req.socket.destroySoon();
    return;
  }
  const incoming: Incoming = { req, url, rawBody, log, origin: origin(req) };

  if (url.pathname === AUTHENTICATION_PATH) {
    const ctx = { requestId: log.requestId, idempotencyKey: null, origin: incoming.origin };
    const page = authenticationPage(req.method ?? "GET", url, rawBody, (id) => state.accountOfPaymentIntent(id), ctx);
    res.writeHead(page.status, { "Content-Type": "text/html; charset=utf-8", ...page.headers }).end(page.html);
    settings.log(`${req.method} ${url.pathname} → ${page.status} (${Date.now() - started} ms)`);
    return;
  }
  const control = url.pathname.startsWith("/_control/");
  let reply: Reply;
  try {
    reply = control ? handleControl(state, settings, incoming) : await handleApi(state, incoming);
  } catch (error) {
    console.error(error);
    reply = internalError(log);
  }
  if (reply.drop) {
    settings.log(`${req.method} ${url.pathname}${log.key ? ` key=${log.key}` : ""} → connection dropped (fault)`);
    req.socket.destroy();
    return;
  }
  res.writeHead(reply.status, {
    ...json,
    "Request-Id": log.requestId,
    "Stripe-Version": typeof req.headers["stripe-version"] === "string" ? req.headers["stripe-version"] : STRIPE_API_VERSION,
    ...(log.key && { "Idempotency-Key": log.key }),
    ...reply.headers,
  });
  res.end(JSON.stringify(reply.body));
  if (!control || settings.logControl) {
    const key = log.key ? ` key=${log.key}` : "";
    const replayed = log.replayed ? " replayed" : "";
    settings.log(`${req.method} ${url.pathname}${key}${replayed} → ${reply.status} (${Date.now() - started} ms)`);
  }
}
