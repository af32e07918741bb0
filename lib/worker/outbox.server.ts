// Account e-mail (sign-in links, newsletter welcomes, shipping notices) is
// written to the outbox in the transaction that decides to send it, and
// relayed from there: right after the request, and by the worker's upkeep
// for whatever a crash or a failing SMTP server left behind. The fulfillment
// job sends its own order mail through it too, as a step.
import "server-only";
import type { Prisma } from "../../generated/sqlite/client";
import { db } from "../db/db.server";
import { sendMail } from "./mailer.server";

/** Sends unsent mail (by default what no job owns; the fulfillment job passes its order's); returns how many went out. */
export async function relayOutbox(where: Prisma.OutboxEmailWhereInput = { kind: { not: "confirmation" } }): Promise<number> {
  const mails = await db.outboxEmail.findMany({ where: { sentAt: null, ...where }, orderBy: { id: "asc" }, take: 50 });
  let sent = 0;
  for (const mail of mails) {
    // A stable Message-ID lets receivers drop a duplicate if a crash made us send twice.
    if (!(await sendMail({ messageId: `<${mail.key}@payonce>`, to: mail.to, subject: mail.subject, text: mail.body }))) return sent;
    await db.outboxEmail.update({ where: { id: mail.id }, data: { sentAt: new Date() } });
    sent++;
  }
  return sent;
}
