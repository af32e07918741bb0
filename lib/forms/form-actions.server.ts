// The shop's server-action wrappers (@payonce/kit/next): the session comes
// from its cookie, and the database's own trouble is a "busy" answer that
// keeps the form's key.
import "server-only";
import { formActions } from "@payonce/kit/next";
import { isDatabaseUnavailable } from "../db/db.server";
import { requireSession } from "../sessions/session.server";

export const { runAction, submitForm } = formActions({
  session: requireSession,
  isUnavailable: isDatabaseUnavailable,
  messages: { busy: "The shop is very busy right now: send it again in a moment (it will be done once)." },
});
