// The errors this server answers with, in Stripe's shape: an HTTP status and
// the `error` body the SDK turns into its own error classes.
export class StripeError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.message));
  }
  static invalid(message: string, param?: string, code?: string) {
    return new StripeError(400, { type: "invalid_request_error", message, ...(param && { param }), ...(code && { code }) });
  }
  /** An object named in the body that does not exist: 400, naming the param. */
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
