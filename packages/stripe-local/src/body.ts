// A request's body, read so that no client can stop the server with one: at
// most MAX_BODY_BYTES kept, and an oversized body read to its end (within a
// bound) so that the 413 reaches the client.
import type { IncomingMessage } from "node:http";

export const MAX_BODY_BYTES = 1024 * 1024;

export class BodyTooLarge extends Error {}
/** How much of an oversized body is read and thrown away so the 413 reaches the client (lingering close). */
const MAX_DISCARDED_BYTES = 64 * MAX_BODY_BYTES;

/**
 * The body, or BodyTooLarge once it is all in: what is over the limit is read
 * and dropped rather than left unread, since closing a socket with bytes
 * still arriving resets it and the client never sees the 413.
 */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_DISCARDED_BYTES) break;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
  return Buffer.concat(chunks).toString("utf8");
}
