// A refusal the person can act on (an empty cart, no session cookie): an
// edge shows its message; nothing was written.
export class RefusedInput extends Error {}
