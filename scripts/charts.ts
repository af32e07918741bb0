// The benchmarks' pictures (bench:scale's, bench:http's), drawn by Vega-Lite
// (compiled to a Vega spec, rendered headless to SVG: no browser, no canvas)
// from the same figures their tables print, and written to docs/images/ for
// docs/benchmarks.md.
import { writeFileSync } from "node:fs";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

async function svg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  const drawn = await view.toSVG();
  view.finalize();
  return drawn;
}

export type SizePoint = { records: string; order: number; operation: string; percentile: "p50" | "p99"; ms: number };

/** Each operation's p50 and p99 at each table size: one panel per operation. */
export async function latencyBySize(points: SizePoint[], file: string, title: string) {
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title,
    data: { values: points },
    facet: { field: "operation", type: "nominal", title: null },
    columns: 3,
    spec: {
      width: 220,
      height: 160,
      mark: { type: "line", point: true },
      encoding: {
        x: { field: "records", type: "ordinal", sort: { field: "order" }, title: "records per table" },
        y: { field: "ms", type: "quantitative", title: "ms", scale: { zero: true } },
        color: { field: "percentile", type: "nominal", title: null },
      },
    },
    resolve: { scale: { y: "independent" } },
  };
  writeFileSync(file, await svg(spec));
}

export type SecondPoint = { second: number; ms: number; percentile: "p50" | "p99"; phase: string };

/** Claim latency second by second, p50 and p99, the reaper's phase shaded. */
export async function claimsOverTime(points: SecondPoint[], reaperFrom: number, reaperTo: number, file: string, title: string) {
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title,
    width: 640,
    height: 240,
    layer: [
      {
        data: { values: [{ from: reaperFrom, to: reaperTo, label: "reapers running" }] },
        mark: { type: "rect", opacity: 0.15, color: "#e45756" },
        encoding: { x: { field: "from", type: "quantitative" }, x2: { field: "to" } },
      },
      {
        data: { values: points },
        mark: { type: "line", point: true },
        encoding: {
          x: { field: "second", type: "quantitative", title: "seconds into the run" },
          y: { field: "ms", type: "quantitative", title: "claim latency (ms), per second" },
          color: { field: "percentile", type: "nominal", title: null },
        },
      },
    ],
  };
  writeFileSync(file, await svg(spec));
}

export type ThroughputPoint = { engine: string; scenario: string; connections: number; rps: number };

/** Requests per second by connections, a line per scenario, a panel per engine. */
export async function throughputByConnections(points: ThroughputPoint[], file: string, title: string) {
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title,
    data: { values: points },
    facet: { field: "engine", type: "nominal", title: null },
    spec: {
      width: 300,
      height: 220,
      mark: { type: "line", point: true },
      encoding: {
        x: { field: "connections", type: "ordinal", title: "connections" },
        y: { field: "rps", type: "quantitative", title: "requests/s", scale: { type: "log" } },
        color: { field: "scenario", type: "nominal", title: null, legend: { orient: "bottom", columns: 2 } },
      },
    },
  };
  writeFileSync(file, await svg(spec));
}
