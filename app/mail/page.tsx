import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { db } from "@/lib/db/db.server";
import { env } from "@/lib/env.server";
import { currentSessionId } from "@/lib/sessions/session.server";

export const metadata: Metadata = { title: "Mail" };
export const dynamic = "force-dynamic";

/** Local mode's mailbox: the outbox, for this visitor's orders and account only. */
export default async function MailPage() {
  if (!env().demoTools) notFound();
  const sessionId = await currentSessionId();
  const orders = sessionId ? await db.order.findMany({ where: { sessionId }, select: { id: true } }) : [];
  const mails = await db.outboxEmail.findMany({
    where: { OR: [{ orderId: { in: orders.map((o) => o.id) } }, ...(sessionId ? [{ sessionId }] : [])] },
    orderBy: { id: "desc" },
    take: 50,
  });
  return (
    <div className="stack">
      <h1>Mail</h1>
      <p className="muted">
        E-mails for your orders and your account, from the outbox (newest first).{" "}
        {env().smtp ? "They are also sent by SMTP." : "No SMTP_URL is set, so none leaves this machine."}
      </p>
      {mails.length === 0 && <p className="muted">None yet.</p>}
      {mails.map((m) => (
        <article key={m.id} className="card" data-testid="mail">
          <p className="small muted">
            To {m.to} · {m.createdAt.toISOString().replace("T", " ").slice(0, 19)} UTC · {m.sentAt ? "sent" : "in outbox"}
          </p>
          <h2 style={{ marginTop: 0 }}>{m.subject}</h2>
          <pre style={{ whiteSpace: "pre-wrap", fontFamily: "inherit" }}>{m.body}</pre>
        </article>
      ))}
    </div>
  );
}
