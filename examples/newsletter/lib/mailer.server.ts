// The welcome e-mail: the example's foreign call, a POST to a mail service
// (MAIL_URL; without it, in development, the mail is only printed). It runs
// outside any transaction and may run twice (a crash after the call, before
// the next phase commits), so it carries an Idempotency-Key of its own, made
// from the subscriber: the mail service answers a repeat with the first send.
import "server-only";

/** The mail service did not answer, or answered that it is in trouble: worth retrying. */
export class MailServiceDown extends Error {}

export async function sendWelcome(to: string, idempotencyKey: string): Promise<void> {
  const url = process.env.MAIL_URL;
  if (!url) {
    console.log(`welcome e-mail to ${to} (Idempotency-Key ${idempotencyKey})`);
    return;
  }
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": idempotencyKey },
      body: JSON.stringify({ to, template: "welcome" }),
      signal: AbortSignal.timeout(5_000),
    });
  } catch (error) {
    throw new MailServiceDown(`the mail service did not answer: ${String(error)}`);
  }
  if (!response.ok) throw new MailServiceDown(`the mail service answered ${response.status}`);
}
