// What `npm run dev` and `npm start` run (scripts/app-processes.ts): the local
// Stripe server in local mode only, dev's web server under the script that
// restarts it, and `npm start` nothing that needs a devDependency (tsx), since
// it runs after `npm prune --omit=dev`, and only bundles of the current build.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { appProcesses } from "../scripts/app-processes";
import { bundlePath, bundlesProblem, ENTRIES, NEXT_BUILD_ID, STAMP } from "../scripts/bundles.mjs";

const names = (kind: "dev" | "start", mode: "local" | "stripe") => appProcesses(kind, mode).map((p) => p.name);

describe("the app's processes", () => {
  it("local mode: the local Stripe server, the web server and the worker", () => {
    assert.deepEqual(names("dev", "local"), ["stripe", "web", "worker"]);
    assert.deepEqual(names("start", "local"), ["stripe", "web", "worker"]);
  });

  it("with a STRIPE_SECRET_KEY: no local Stripe server, in dev or start", () => {
    assert.deepEqual(names("dev", "stripe"), ["web", "worker"]);
    assert.deepEqual(names("start", "stripe"), ["web", "worker"]);
  });

  it("npm start runs bundles and next with plain node: no tsx", () => {
    for (const { args } of appProcesses("start", "local")) assert.ok(!args.some((a) => a.includes("tsx")), args.join(" "));
  });
});

describe("npm run dev's web server", () => {
  it("is scripts/dev-server.ts (which starts next dev again after the lab's crash)", () => {
    const web = appProcesses("dev", "local").find((p) => p.name === "web")!;
    assert.equal(web.args.at(-1), "scripts/dev-server.ts");
  });
});

describe("a supervisor killed outright (kill -9)", () => {
  it("leaves no process running: each loads the watch of its channel to the supervisor first, next start included", () => {
    const watches = { dev: `./${ENTRIES.watch}`, start: `./${bundlePath(ENTRIES.watch)}` };
    for (const kind of ["dev", "start"] as const) {
      for (const { name, args } of appProcesses(kind, "local")) {
        const at = args.indexOf(watches[kind]);
        assert.ok(at > 0 && args[at - 1] === "--import", `${kind} ${name}: ${args.join(" ")}`);
        // Before what it runs, after tsx (which it needs in dev).
        assert.ok(
          args.slice(at + 1).every((arg) => !arg.startsWith("--")),
          `${kind} ${name}: ${args.join(" ")}`,
        );
      }
    }
  });
});

describe("npm start's bundles (scripts/bundles.mjs)", () => {
  const made: string[] = [];
  after(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const root = () => made[made.push(mkdtempSync(path.join(tmpdir(), "payonce-bundles-"))) - 1]!;
  const write = (dir: string, file: string, text = "") => {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  };
  const built = (nextBuild: string, stamp: string | null) => {
    const dir = root();
    for (const entry of Object.values(ENTRIES)) write(dir, bundlePath(entry));
    write(dir, NEXT_BUILD_ID, `${nextBuild}\n`);
    if (stamp !== null) write(dir, STAMP, stamp);
    return dir;
  };

  it("npm start runs them, checked, from where build:server puts them, and so does the supervisor", () => {
    const scripts = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> }).scripts;
    assert.equal(scripts.start, "node --conditions=react-server scripts/start.mjs");
    assert.equal(scripts["build:server"], "node scripts/build-server.mjs");
    for (const { args } of appProcesses("start", "local").filter((p) => p.name !== "web")) assert.match(args.at(-1)!, /^dist\/.*\.mjs$/);
  });

  it("refuses with 'run npm run build' when dist/ is missing, unstamped, or stamped with another Next build", () => {
    const empty = root();
    write(empty, NEXT_BUILD_ID, "b1");
    assert.match(bundlesProblem(empty) ?? "", /Run `npm run build`/);
    assert.match(bundlesProblem(built("b1", null)) ?? "", /no server bundles .*Run `npm run build`/);
    assert.match(bundlesProblem(built("b2", "b1")) ?? "", /another Next build .*Run `npm run build`/);
    assert.equal(bundlesProblem(built("b1", "b1")), null);
  });
});
