"use client";
// The lab's click counter: counted on the checkout page, shown on the ledger,
// cleared when a story starts (lib/demo/pay-clicks.ts).
import { useEffect, useSyncExternalStore } from "react";
import { clearPayClicks, countPayClicks, payClicks } from "@/lib/demo/pay-clicks";

export function CountPayClicks() {
  useEffect(countPayClicks, []);
  return null;
}

/** This tab's count, read after hydration (the server has no sessionStorage). */
const useClicks = () =>
  useSyncExternalStore(
    () => () => {},
    payClicks,
    () => null,
  );

export function PayClicks() {
  const clicks = useClicks();
  return <>{clicks ?? "…"}</>;
}

/** A form that starts over: the clicks counted so far belong to the story before. */
export function StartOverForm({ action, children, className }: { action: (data: FormData) => Promise<void>; children: React.ReactNode; className?: string }) {
  return (
    <form action={action} onSubmit={clearPayClicks} className={className}>
      {children}
    </form>
  );
}

/** The clicks the UI guard kept in the browser: counted clicks beyond the requests that reached the server. */
export function UiGuardCaught({ requests }: { requests: number }) {
  const clicks = useClicks();
  return <>{clicks === null ? "…" : Math.max(0, clicks - requests)}</>;
}
