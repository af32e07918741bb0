// Two tiny order endpoints, in process, to prove the checker both ways:
// - "naive": check-then-insert (nothing claims the key before the work), no
//   fingerprint, no key syntax, only successes kept: the mistakes people make.
// - "correct": the key validated, claimed before the work (409 + Retry-After
//   while it runs, or `inFlight: "wait"` for the first's answer), a
//   fingerprint (422 for another payload), every final answer kept.
// POST /orders {"email", "card"} makes an order (an effect), a declined card
// one too (402); GET /count answers {"count": effects}, and `countFile`, if
// given, holds the count as text (for a count command).
import { createHash, randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

type Answer = { status: number; body: string };
type Entry = { fingerprint: string; answer?: Answer; done: Promise<Answer> };
export type Behaviour = { kind: "naive" } | { kind: "correct"; inFlight: "409" | "wait" };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function readBody(request: IncomingMessage): Promise<string> {
  let text = "";
  for await (const chunk of request) text += chunk;
  return text;
}

/** The key as the correct endpoint takes it: 1 to 255 visible ASCII characters, bare or as an sf-string. */
function parseKey(header: string | undefined): string | null {
  const quoted = header?.match(/^"([\x20-\x21\x23-\x5b\x5d-\x7e]*)"$/);
  const key = quoted ? quoted[1]! : header;
  return key !== undefined && /^[\x21-\x7e]{1,255}$/.test(key) ? key : null;
}

/** Starts an endpoint on a free port of 127.0.0.1; `workMs` is how long an order takes. */
export async function startEndpoint(behaviour: Behaviour, workMs = 100, countFile?: string) {
  let effects = 0;
  if (countFile) writeFileSync(countFile, "0");
  const keys = new Map<string, Entry>();

  /** The order itself: the effect, then its answer. */
  async function work(body: string): Promise<Answer> {
    await sleep(workMs);
    effects++;
    if (countFile) writeFileSync(countFile, String(effects));
    const order = { id: randomUUID(), ...(JSON.parse(body) as object) };
    if ((order as { card?: string }).card === "declined") return { status: 402, body: JSON.stringify({ error: "card_declined", order: order.id }) };
    return { status: 201, body: JSON.stringify({ order }) };
  }

  async function answer(request: IncomingMessage): Promise<Answer & { replayed?: boolean; retryAfter?: string }> {
    const body = await readBody(request);
    const sent = request.headers["idempotency-key"];
    const header = Array.isArray(sent) ? sent.join(", ") : sent;
    if (header === undefined) return { status: 400, body: '{"error":"idempotency-key-missing"}' };
    try {
      JSON.parse(body);
    } catch {
      return { status: 400, body: '{"error":"invalid-body"}' };
    }
    if (behaviour.kind === "naive") {
      const stored = keys.get(header);
      if (stored?.answer) return { ...stored.answer, replayed: true };
      const result = await work(body);
      if (result.status < 300) keys.set(header, { fingerprint: "", answer: result, done: Promise.resolve(result) });
      return result;
    }
    const key = parseKey(header);
    if (key === null) return { status: 400, body: '{"error":"idempotency-key-malformed"}' };
    const fingerprint = createHash("sha256").update(body).digest("hex");
    const entry = keys.get(key);
    if (entry && entry.fingerprint !== fingerprint) return { status: 422, body: '{"error":"idempotency-key-reused"}' };
    if (entry?.answer) return { ...entry.answer, replayed: true };
    if (entry && behaviour.inFlight === "wait") return { ...(await entry.done), replayed: true };
    if (entry) return { status: 409, body: '{"error":"request-in-progress"}', retryAfter: "1" };
    // Claimed in the same tick as the look-up: no second request can slip in between.
    const claimed: Entry = { fingerprint, done: work(body) };
    keys.set(key, claimed);
    claimed.answer = await claimed.done;
    return claimed.answer;
  }

  const server = createServer(async (request, response) => {
    if (request.method === "GET" && request.url === "/count") {
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ count: effects }));
      return;
    }
    const { status, body, replayed, retryAfter } = await answer(request);
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (replayed) headers["idempotent-replayed"] = "true";
    if (retryAfter) headers["retry-after"] = retryAfter;
    // The client may have hung up: the work is done all the same, the answer goes nowhere.
    if (!response.destroyed) response.writeHead(status, headers).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}/orders`,
    countUrl: `${base}/count`,
    effects: () => effects,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
