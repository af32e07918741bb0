// Turns `npm run scenarios` into reports/scenarios.html and a Markdown table
// (printed at the end, and saved as reports/scenarios.md): story × mode →
// clicks, requests, orders, PaymentIntents, charges and what caught the
// duplicates, each row linked to its ledger and its Playwright trace.
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Reporter, TestCase, TestResult } from "@playwright/test/reporter";
import type { ScenarioRow } from "./scenarios.spec";

const OUT = "reports";
const LAYER_NAMES: Record<string, string> = {
  uiGuard: "UI guard",
  idempotencyKey: "idempotency key",
  businessUniqueness: "business uniqueness",
  stripeKey: "Stripe's idempotency",
  webhookDedupe: "webhook dedupe",
};

type Row = ScenarioRow & { ledger: string; trace?: string; failed?: string };

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => `&${{ "&": "amp", "<": "lt", ">": "gt", '"': "quot" }[c]};`);
const caughtBy = (row: ScenarioRow) =>
  Object.entries(row.caughtBy)
    .map(([layer, n]) => `${LAYER_NAMES[layer] ?? layer} ${n}`)
    .join(", ") || (row.charges > 1 || row.orders > 1 ? "nothing" : "–");

export default class ScenariosReporter implements Reporter {
  private rows: Row[] = [];

  onTestEnd(test: TestCase, result: TestResult) {
    const attachment = result.attachments.find((a) => a.name === "scenario");
    const slug = test.title
      .replace(/[^\w]+/g, "-")
      .toLowerCase()
      .slice(0, 80);
    const copy = (from: string | undefined, name: string) => {
      if (!from) return undefined;
      mkdirSync(path.join(OUT, "scenarios"), { recursive: true });
      copyFileSync(from, path.join(OUT, "scenarios", `${slug}-${name}`));
      return `scenarios/${slug}-${name}`;
    };
    const trace = copy(result.attachments.find((a) => a.name === "trace")?.path, "trace.zip");
    if (!attachment?.body) {
      const [story, mode] = test.title.split(" · ");
      this.rows.push({
        story: story ?? test.title,
        mode: mode ?? "",
        clicks: 0,
        requests: 0,
        replays: "",
        orders: 0,
        paymentIntents: 0,
        charges: 0,
        caughtBy: {},
        screenshot: "",
        ledger: "",
        trace,
        failed: result.error?.message?.split("\n")[0] ?? result.status,
      });
      return;
    }
    const row = JSON.parse(attachment.body.toString()) as ScenarioRow;
    this.rows.push({ ...row, ledger: copy(row.screenshot, "ledger.png") ?? "", trace });
  }

  onEnd() {
    mkdirSync(OUT, { recursive: true });
    const header = "| Story | Mode | Clicks | Requests | Replayed · waited · resumed | Orders | PaymentIntents | Charges | Caught by |";
    const lines = this.rows.map((r) =>
      r.failed
        ? `| ${r.story} | ${r.mode} | – | – | – | – | – | – | run failed: ${r.failed} |`
        : `| ${r.story} | ${r.mode} | ${r.clicks} | ${r.requests} | ${r.replays} | ${r.orders} | ${r.paymentIntents} | ${r.charges} | ${caughtBy(r)} |`,
    );
    const markdown = [header, "|---|---|--:|--:|--:|--:|--:|--:|---|", ...lines].join("\n");
    writeFileSync(path.join(OUT, "scenarios.md"), `${markdown}\n`);
    const cells = (r: Row) =>
      r.failed
        ? `<td colspan="7" class="bad">run failed: ${escape(r.failed)}</td>`
        : [r.clicks, r.requests, r.replays, r.orders, r.paymentIntents]
            .map((v) => `<td class="num">${escape(String(v))}</td>`)
            .concat(`<td class="num ${r.charges > 1 ? "bad" : ""}">${r.charges}</td>`, `<td>${escape(caughtBy(r))}</td>`)
            .join("");
    const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>PayOnce scenarios</title>
<style>
body { font: 14px/1.5 system-ui, sans-serif; margin: 2rem; color: #1d2430; }
table { border-collapse: collapse; } th, td { padding: .35rem .6rem; border-bottom: 1px solid #dde3ea; text-align: left; }
td.num { text-align: right; } .bad { color: #b42318; font-weight: 600; }
</style></head><body>
<h1>PayOnce scenarios</h1>
<p>Each story of the lab, run in a browser under every mode: every protection on, every one off, and each single layer off.
The numbers are the ledger's, read after the run settled. Charges above 1 are the bug.</p>
<table><thead><tr><th>Story</th><th>Mode</th><th>Clicks</th><th>Requests</th><th>Replayed · waited · resumed</th><th>Orders</th><th>PaymentIntents</th><th>Charges</th><th>Caught by</th><th>Ledger</th><th>Trace</th></tr></thead>
<tbody>
${this.rows
  .map(
    (r) =>
      `<tr><td>${escape(r.story)}</td><td>${escape(r.mode)}</td>${cells(r)}<td>${r.ledger ? `<a href="${r.ledger}">ledger</a>` : ""}</td><td>${r.trace ? `<a href="${r.trace}">trace</a>` : ""}</td></tr>`,
  )
  .join("\n")}
</tbody></table>
<p>Open a trace with <code>npx playwright show-trace reports/&lt;trace&gt;</code>.</p>
</body></html>
`;
    writeFileSync(path.join(OUT, "scenarios.html"), html);
    console.log(`\n${markdown}\n\nreports/scenarios.html, reports/scenarios.md`);
  }
}
