// `prisma db seed` (prisma.config.ts names the command) seeds the catalog.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import prismaConfig from "../prisma.config";

describe("prisma db seed", () => {
  it("the configured seed command seeds the catalog", () => {
    const command = prismaConfig.migrations?.seed;
    assert.ok(command, "prisma.config.ts names a seed command");
    const run = spawnSync(command, { shell: true, env: process.env, encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /seeded \d+ products/);
  });
});
