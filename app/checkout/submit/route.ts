// Demo only (UI guard switched off): the checkout form as a plain HTML form,
// posted by the browser itself, so every click really is its own request.
// React and Next.js send one server action at a time, which would hide the
// double submit that any ordinary form, or a page not yet hydrated, produces.
import { NextResponse, type NextRequest } from "next/server";
import { submitCheckout } from "../submit-checkout";
import { formTooLarge, readBoundedForm } from "@/lib/api/bounded-body.server";
import { env } from "@/lib/env.server";

export async function POST(request: NextRequest) {
  if (!env().demoTools) return new NextResponse("Not found", { status: 404 });
  const formData = await readBoundedForm(request);
  if (!formData) return formTooLarge();
  const outcome = await submitCheckout(formData);
  const target =
    outcome.status === "paid" ? `/orders/${outcome.orderId}` : outcome.status === "authenticate" ? outcome.url : `/checkout?result=${outcome.status}`;
  // A relative Location keeps the browser on the host it used (and its cookie).
  return new NextResponse(null, { status: 303, headers: { Location: target } });
}
