"use server";
// The one server action of every protected form: the form names itself in a
// hidden `form` field, and the answer is that form's FormState.
import { refresh } from "next/cache";
import { answered, type FormState } from "@payonce/kit/react";
import { isFormName, SUBMITTERS } from "./submitters";

export async function submitAction(prev: FormState, form: FormData): Promise<FormState> {
  const name = form.get("form");
  if (!isFormName(name)) return answered(prev, { ok: false, final: false, message: "This form is out of date. Reload the page." }, form);
  const reply = await SUBMITTERS[name](form);
  if (reply.ok) refresh(); // the page shows what changed
  return answered(prev, reply, form);
}
