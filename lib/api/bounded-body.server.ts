// Plain form posts read with a ceiling (the kit's readBoundedBody): a body is
// read as a stream and canceled the moment it passes the limit.
import "server-only";
import { readBoundedBody } from "@payonce/kit/next";

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
