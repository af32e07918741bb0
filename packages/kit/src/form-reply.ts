// What a protected form's server action answers: shared by the server-action
// wrapper (./next), which makes it, and the form (./react), which shows it.
export type FormReply = {
  ok: boolean;
  message: string;
  /** A final reply ends the attempt: the next submit is a new one, with a new key. */
  final: boolean;
  fieldErrors?: Record<string, string[] | undefined>;
};
