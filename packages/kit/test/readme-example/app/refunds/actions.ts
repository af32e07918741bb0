// app/refunds/actions.ts: the server action.
"use server";
import { formActions } from "@payonce/kit/next";
import { answered, type FormState } from "@payonce/kit/react";
import { z } from "zod";
import { refundOrder } from "../../lib/refunds";
import { currentSession } from "../../lib/session"; // yours: the visitor's session ({ id }), the keys' scope

const { submitForm } = formActions({ session: currentSession });
const schema = z.object({ idempotencyKey: z.string().min(1), orderId: z.string(), amountCents: z.coerce.number().int().min(1) });

export async function refund(prev: FormState, form: FormData): Promise<FormState> {
  const reply = await submitForm(
    form,
    schema,
    ({ session, key, fields }) => refundOrder(session.id, key, fields),
    (o) => (o.kind === "refunded" ? { ok: true, message: "Refunded." } : { ok: false, message: "Nothing was refunded." }),
  );
  return answered(prev, reply, form);
}
