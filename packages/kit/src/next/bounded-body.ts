// Reading a request body with a ceiling: a body is read as a stream and the
// stream is canceled the moment it passes the limit, whether or not the client
// declared a Content-Length (a chunked upload declares none). Reading it whole
// first (request.text()) would hold any amount a client sends in memory.

/** The body's bytes, or null when it is (or says it is) larger than `limit` bytes: then it is not read further. */
export async function readBoundedBody(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer> | null> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (!request.body) return new Uint8Array();
  if (declared > limit) {
    await request.body.cancel().catch(() => {});
    return null;
  }
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}
