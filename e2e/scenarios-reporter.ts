// Turns `npm run scenarios` into reports/scenarios.html and Markdown tables
// (printed at the end, and saved as reports/scenarios.md):
//   - the lab's stories × every mode → clicks, requests, orders,
//     PaymentIntents, charges and what caught the duplicates;
//   - the retry stories of the e2e suite (checkout, forms, webhooks, jobs,
//     crashes), protected and unprotected → what each promises in its name
//     and whether it held; checkout, forms, 3-D Secure and the crash also with
//     each single layer off, reported; each with its session's requests,
//     orders, charges, shipments, form rows and what caught the duplicates;
// each row linked to its Playwright trace (and the lab's to its ledger).
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Reporter, TestCase, TestResult } from "@playwright/test/reporter";
import { LAYERS } from "../lib/demo/protections";
import type { ScenarioOutcome } from "./fixtures";
import type { ScenarioRow } from "./scenarios.spec";

const OUT = "reports";
const LAYER_NAMES: Record<string, string> = {
  uiGuard: "UI guard",
  idempotencyKey: "idempotency key",
  businessUniqueness: "business uniqueness",
  stripeKey: "Stripe's idempotency",
  webhookDedupe: "webhook dedupe",
};

type LabRow = ScenarioRow & { ledger: string; trace?: string };
type RetryRow = { spec: string; story: string; mode: string; promise: string; result: string; outcome?: ScenarioOutcome; rows?: string; trace?: string };
type Failed = { title: string; error: string; trace?: string };

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => `&${{ "&": "amp", "<": "lt", ">": "gt", '"': "quot" }[c]};`);
const caughtBy = (row: Pick<ScenarioRow, "caughtBy" | "charges" | "orders">) =>
  Object.entries(row.caughtBy)
    .filter(([, n]) => n > 0)
    .map(([layer, n]) => `${LAYER_NAMES[layer] ?? layer} ${n}`)
    .join(", ") || (row.charges > 1 || row.orders > 1 ? "nothing" : "–");
function modeOf(title: string) {
  const layer = LAYERS.find((l) => title.includes(`${l.id} off`));
  if (layer) return `${layer.label} off`;
  return /\bunprotected\b/i.test(title) ? "unprotected" : /\bprotected\b/i.test(title) ? "protected" : "–";
}
const json = <T>(result: TestResult, name: string) => {
  const body = result.attachments.find((a) => a.name === name)?.body;
  return body ? (JSON.parse(body.toString()) as T) : undefined;
};

export default class ScenariosReporter implements Reporter {
  private lab: LabRow[] = [];
  private retries: RetryRow[] = [];
  private failed: Failed[] = [];

  onTestEnd(test: TestCase, result: TestResult) {
    const slug = test
      .titlePath()
      .slice(1)
      .join(" ")
      .replace(/[^\w]+/g, "-")
      .toLowerCase()
      .slice(0, 100);
    const copy = (from: string | undefined, name: string) => {
      if (!from) return undefined;
      mkdirSync(path.join(OUT, "scenarios"), { recursive: true });
      copyFileSync(from, path.join(OUT, "scenarios", `${slug}-${name}`));
      return `scenarios/${slug}-${name}`;
    };
    const trace = copy(result.attachments.find((a) => a.name === "trace")?.path, "trace.zip");
    // ["", project, file, …describes, title] → the spec file, and the story's own words.
    const [spec = "", ...story] = test.titlePath().filter(Boolean);
    const scenario = json<ScenarioRow>(result, "scenario");
    if (scenario) return void this.lab.push({ ...scenario, ledger: copy(scenario.screenshot, "ledger.png") ?? "", trace });
    if (spec === "scenarios.spec.ts") return void this.failed.push({ title: test.title, error: result.error?.message?.split("\n")[0] ?? result.status, trace });
    const title = story.join(" › ");
    this.retries.push({
      spec,
      story: title,
      mode: modeOf(title),
      promise: title.includes("→") ? title.slice(title.lastIndexOf("→") + 1).trim() : "",
      result: result.status === "skipped" ? "skipped" : result.status !== "passed" ? "FAILED" : title.endsWith("→ reported") ? "–" : "held",
      outcome: json<ScenarioOutcome>(result, "outcome"),
      rows: result.attachments.find((a) => a.name === "rows")?.body?.toString(),
      trace,
    });
  }

  onEnd() {
    mkdirSync(OUT, { recursive: true });
    const n = (o: ScenarioOutcome | undefined, k: Exclude<keyof ScenarioOutcome, "caughtBy">) => (o ? String(o[k]) : "–");
    const caught = (r: RetryRow) => (r.outcome ? caughtBy(r.outcome) : "–");
    const labTable = [
      "| Story | Mode | Clicks | Requests | Replayed · waited · resumed | Orders | PaymentIntents | Charges | Caught by |",
      "|---|---|--:|--:|--:|--:|--:|--:|---|",
      ...this.lab.map(
        (r) => `| ${r.story} | ${r.mode} | ${r.clicks} | ${r.requests} | ${r.replays} | ${r.orders} | ${r.paymentIntents} | ${r.charges} | ${caughtBy(r)} |`,
      ),
      ...this.failed.map((f) => `| ${f.title} | | | | | | | | run failed: ${f.error} |`),
    ].join("\n");
    const retryTable = [
      "| Spec | Story | Mode | Promise | Held? | Requests | Orders | PaymentIntents | Charges | Shipments | Form rows | Caught by |",
      "|---|---|---|---|---|--:|--:|--:|--:|--:|--:|---|",
      ...this.retries.map(
        (r) =>
          `| ${r.spec} | ${r.story.replace(/\|/g, "/")} | ${r.mode} | ${r.promise} | ${r.result} | ${n(r.outcome, "requests")} | ${n(r.outcome, "orders")} | ${n(r.outcome, "paymentIntents")} | ${n(r.outcome, "charges")} | ${n(r.outcome, "shipments")} | ${r.rows ?? "–"} | ${caught(r)} |`,
      ),
    ].join("\n");
    const markdown = `## The lab's stories, under every mode\n\n${labTable}\n\n## The retry stories of the e2e suite\n\n${retryTable}\n`;
    writeFileSync(path.join(OUT, "scenarios.md"), markdown);

    const td = (v: string | number, cls = "") => `<td class="${cls}">${escape(String(v))}</td>`;
    const link = (href: string | undefined, text: string) => (href ? `<td><a href="${href}">${text}</a></td>` : "<td></td>");
    const labRows = this.lab
      .map((r) =>
        [
          td(r.story),
          td(r.mode),
          ...[r.clicks, r.requests, r.replays, r.orders, r.paymentIntents].map((v) => td(v, "num")),
          td(r.charges, r.charges > 1 ? "num bad" : "num"),
          td(caughtBy(r)),
          link(r.ledger, "ledger"),
          link(r.trace, "trace"),
        ].join(""),
      )
      .concat(this.failed.map((f) => `${td(f.title)}<td colspan="8" class="bad">run failed: ${escape(f.error)}</td><td></td>${link(f.trace, "trace")}`));
    const retryRows = this.retries.map((r) =>
      [
        td(r.spec),
        td(r.story),
        td(r.mode),
        td(r.promise),
        td(r.result, r.result === "FAILED" ? "bad" : ""),
        ...(["requests", "orders", "paymentIntents"] as const).map((k) => td(n(r.outcome, k), "num")),
        td(n(r.outcome, "charges"), (r.outcome?.charges ?? 0) > 1 ? "num bad" : "num"),
        td(n(r.outcome, "shipments"), (r.outcome?.shipments ?? 0) > 1 ? "num bad" : "num"),
        td(r.rows ?? "–", Number(r.rows) > 1 ? "num bad" : "num"),
        td(caught(r)),
        link(r.trace, "trace"),
      ].join(""),
    );
    const table = (head: string[], rows: string[]) =>
      `<table><thead><tr>${head.map((h) => `<th>${h}</th>`).join("")}</tr></thead><tbody>\n${rows.map((r) => `<tr>${r}</tr>`).join("\n")}\n</tbody></table>`;
    const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>PayOnce scenarios</title>
<style>
body { font: 14px/1.5 system-ui, sans-serif; margin: 2rem; color: #1d2430; }
table { border-collapse: collapse; margin-bottom: 2rem; } th, td { padding: .35rem .6rem; border-bottom: 1px solid #dde3ea; text-align: left; }
td.num { text-align: right; } .bad { color: #b42318; font-weight: 600; }
</style></head><body>
<h1>PayOnce scenarios</h1>
<h2>The lab's stories, under every mode</h2>
<p>Each story of the lab, run in a browser with every protection on, every one off, and each single layer off.
The numbers are the ledger's, read after the run settled. Charges above 1 are the bug.</p>
${table(["Story", "Mode", "Clicks", "Requests", "Replayed · waited · resumed", "Orders", "PaymentIntents", "Charges", "Caught by", "Ledger", "Trace"], labRows)}
<h2>The retry stories of the e2e suite</h2>
<p>Checkout, forms, webhooks, jobs and crashes, each run protected and unprotected: the promise is in the story's name, and
"held" says it did. Checkout, forms, 3-D Secure and the crash also run with each single layer off: reported, not held to a
promise, so you can see which layer stops which duplicate. The figures are the browser session's (none for a story told through
the JSON API or a second app instance); shipments are the worker's, form rows the form's (reviews, e-mails, refunds).</p>
${table(["Spec", "Story", "Mode", "Promise", "Held?", "Requests", "Orders", "PaymentIntents", "Charges", "Shipments", "Form rows", "Caught by", "Trace"], retryRows)}
<p>Open a trace with <code>npx playwright show-trace reports/&lt;trace&gt;</code>.</p>
</body></html>
`;
    writeFileSync(path.join(OUT, "scenarios.html"), html);
    console.log(`\n${markdown}\nreports/scenarios.html, reports/scenarios.md`);
  }
}
