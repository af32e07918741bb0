// Demo only (UI guard switched off): every protected form as a plain HTML
// form, posted by the browser on every click, as any unguarded form is. The
// answer goes back to the form's page (`returnTo`) as `?form=…&result=…`.
import { NextResponse, type NextRequest } from "next/server";
import { formTooLarge, readBoundedForm } from "@/lib/api/bounded-body.server";
import { env } from "@/lib/env.server";
import { isFormName, SUBMITTERS } from "../submitters";

export async function POST(request: NextRequest, { params }: { params: Promise<{ form: string }> }) {
  const { form: name } = await params;
  if (!env().demoTools || !isFormName(name)) return new NextResponse("Not found", { status: 404 });
  const form = await readBoundedForm(request);
  if (!form) return formTooLarge();
  const reply = await SUBMITTERS[name](form);
  const returnTo = String(form.get("returnTo") ?? "/");
  // Only a path of this site (not //elsewhere): a relative Location keeps the browser on its host and cookie.
  const back = /^\/(?!\/)[\w\-/]*$/.test(returnTo) ? returnTo : "/";
  return new NextResponse(null, { status: 303, headers: { Location: `${back}?form=${name}&result=${reply.ok ? "ok" : "not-done"}` } });
}
