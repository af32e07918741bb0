// A refusal the person can act on (an empty cart, no session cookie, a refund
// above what is left): an edge shows its message, next to `field` if it names
// one; nothing was written.
export class RefusedInput extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}
