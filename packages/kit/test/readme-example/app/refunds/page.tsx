// app/refunds/page.tsx: the page, rendered per request: a new serverKey each time.
import { randomUUID } from "node:crypto";
import { RefundForm } from "./refund-form";

export default async function RefundPage({ searchParams }: { searchParams: Promise<{ order?: string }> }) {
  const { order = "" } = await searchParams;
  return <RefundForm orderId={order} serverKey={randomUUID()} />;
}
