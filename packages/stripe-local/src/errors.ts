// The errors this server answers with, in Stripe's shape: an HTTP status and
// the `error` body the SDK turns into its own error classes. Every one has
// what Stripe's have: a type, a message, a doc_url (the page for its code, or
// the errors page), and a code and param where they apply.
const DOCS = "https://stripe.com/docs";

/** The page Stripe links an error to: its code's, or the API's errors page. */
export const docUrl = (code: unknown) => (typeof code === "string" && code ? `${DOCS}/error-codes/${code.replace(/_/g, "-")}` : `${DOCS}/api/errors`);

export class StripeError extends Error {
  readonly body: Record<string, unknown>;
  constructor(
    readonly status: number,
    body: Record<string, unknown>,
  ) {
    super(String(body.message));
    this.body = { ...body, doc_url: body.doc_url ?? docUrl(body.code) };
  }
  static invalid(message: string, param?: string, code?: string) {
    return new StripeError(400, { type: "invalid_request_error", message, ...(param && { param }), ...(code && { code }) });
  }
  /** An object named in the body (or the query) that does not exist: 400, naming the param. */
  static missingParam(kind: string, id: string, param: string) {
    return new StripeError(400, { type: "invalid_request_error", code: "resource_missing", message: `No such ${kind}: '${id}'`, param });
  }
  /** An object in the URL that does not exist: 404. */
  static missing(kind: string, id: string, param?: string) {
    return new StripeError(404, {
      type: "invalid_request_error",
      code: "resource_missing",
      message: `No such ${kind}: '${id}'`,
      ...(param && { param }),
    });
  }
}
