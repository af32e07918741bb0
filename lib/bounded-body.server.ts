// Reading a request body with a ceiling: a body is read as a stream and the
// stream is canceled the moment it passes the limit, whether or not the client
// declared a Content-Length (a chunked upload declares none). Reading it whole
// first (request.text()) would hold any amount a client sends in memory.
import "server-only";

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
  return new Uint8Array(Buffer.concat(chunks));
}

/** The largest plain form post read (the demo's unguarded forms): their fields are a few hundred bytes. */
export const FORM_BODY_LIMIT = 16 * 1024;

/** A plain form post's fields, read up to FORM_BODY_LIMIT; null when it is larger. Not a form at all: no fields. */
export async function readBoundedForm(request: Request): Promise<FormData | null> {
  const bytes = await readBoundedBody(request, FORM_BODY_LIMIT);
  if (!bytes) return null;
  const headers = { "Content-Type": request.headers.get("content-type") ?? "" };
  return new Response(bytes, { headers }).formData().catch(() => new FormData());
}

/** The answer to a plain form post past FORM_BODY_LIMIT. */
export const formTooLarge = () =>
  new Response(`This form is larger than ${FORM_BODY_LIMIT} bytes, so it was not read.`, {
    status: 413,
    headers: { "Content-Type": "text/plain; charset=utf-8" },
  });
