// Demo only (UI guard switched off): the review form as a plain HTML form,
// posted by the browser on every click, as any unguarded form is.
import { NextResponse, type NextRequest } from "next/server";
import { submitReview } from "../submit-review";
import { env } from "@/lib/env.server";
import { isRecordId } from "@/lib/checkout-schema";

export async function POST(request: NextRequest, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!env().demoTools || !isRecordId(id)) return new NextResponse("Not found", { status: 404 });
  const formData = await request.formData().catch(() => new FormData());
  const answer = await submitReview(formData);
  // A relative Location keeps the browser on the host it used (and its cookie).
  return new NextResponse(null, { status: 303, headers: { Location: `/orders/${id}?review=${answer.status}` } });
}
