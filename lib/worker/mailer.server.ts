// Outgoing e-mail: by SMTP (nodemailer) when SMTP_URL is set; otherwise the
// outbox table is the mailbox, shown on /mail.
import "server-only";
import nodemailer, { type Transporter } from "nodemailer";
import { env } from "../env.server";

let transport: Transporter | undefined;

export type Mail = { messageId: string; to: string; subject: string; text: string };

/** True if the mail was handed to SMTP, false if there is no SMTP to hand it to. */
export async function sendMail(mail: Mail): Promise<boolean> {
  const smtp = env().smtp;
  if (!smtp) return false;
  transport ??= nodemailer.createTransport(smtp.url);
  // A stable Message-ID lets receivers drop a duplicate if a retry sends twice.
  await transport.sendMail({ from: smtp.from, to: mail.to, subject: mail.subject, text: mail.text, messageId: mail.messageId });
  return true;
}
