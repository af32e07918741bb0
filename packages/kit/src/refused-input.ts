// A refusal the person can act on (an empty cart, no session cookie, a refund
// above what is left): an edge shows its message, next to `field` if it names
// one (or each of `details`' next to its own); nothing was written.
export class RefusedInput extends Error {
  constructor(
    message: string,
    readonly field?: string,
    /** Every field refused, each with its own message (an API body's items, all at once). */
    readonly details: { field: string; message: string }[] = field ? [{ field, message }] : [],
  ) {
    super(message);
  }
}
