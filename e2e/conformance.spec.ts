// The shop's API checked as any API would be, by @payonce/conformance (the
// IETF draft's rules and Stripe's): POST /api/orders passes every rule with
// its protections on, and with them off (a session's demo switches) fails
// exactly the rules the idempotency key stands for. Effects: the session's orders.
import { checkConformance, formatTable, type Report } from "@payonce/conformance";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { db } from "../lib/db/db.server";
import { ALL_OFF } from "../lib/demo/protections";
import { saveProtections } from "../lib/demo/protections.server";

const ORDER = { email: "c-{{unique}}@example.com", items: [{ slug: "mug", quantity: 1 }], paymentMethod: "pm_card_visa" };

async function checkShop(request: APIRequestContext, baseURL: string, protectedSession: boolean): Promise<Report> {
  const { token } = (await (await request.post("/api/sessions")).json()) as { token: string };
  if (!protectedSession) await saveProtections(token, ALL_OFF);
  await db.product.updateMany({ data: { stock: 1000 } });
  const report = await checkConformance({
    url: `${baseURL}/api/orders`,
    headers: { Authorization: `Bearer ${token}` },
    body: JSON.stringify(ORDER),
    errorBody: JSON.stringify({ ...ORDER, paymentMethod: "pm_card_chargeDeclined" }),
    countEffects: () => db.order.count({ where: { sessionId: token } }),
    // An abandoned request's order lands within this: the unprotected shop's second one is counted.
    settleMs: 1_000,
  });
  await test.info().attach("conformance", { body: formatTable(report), contentType: "text/plain" });
  return report;
}

const verdicts = (report: Report) => Object.fromEntries(report.results.map((r) => [r.id, r.verdict]));

test("POST /api/orders passes every rule of the draft and of Stripe's practice", async ({ request, baseURL }) => {
  const report = await checkShop(request, baseURL!, true);
  expect(
    report.results.filter((r) => r.verdict !== "pass"),
    formatTable(report),
  ).toEqual([]);
});

test("with its protections off, it fails the rules the idempotency key stands for", async ({ request, baseURL }) => {
  const report = await checkShop(request, baseURL!, false);
  expect(verdicts(report), formatTable(report)).toEqual({
    "first-request": "pass",
    replay: "fail",
    "replay-marker": "fail",
    concurrent: "fail",
    "payload-mismatch": "fail",
    // The key's syntax is checked at the edge, before any layer.
    "key-missing": "pass",
    "key-malformed": "pass",
    "key-quoted": "fail",
    "lost-response": "fail",
    "replay-error": "fail",
  });
});
