// .env.example is the list of settings a deployer reads: every setting of
// lib/env.server.ts is there, with its true default (or commented out when it
// has none), and nothing that is not a setting.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { envSchema } from "../lib/env.server";

const lines = readFileSync(new URL("../.env.example", import.meta.url), "utf8").split("\n");
/** `KEY=value` lines (set to their default) and `# KEY=example` lines (unset by default). */
const listed = lines.flatMap((line) => {
  const m = /^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
  return m ? [{ key: m[2]!, value: m[3]!, commented: m[1] !== undefined }] : [];
});
const settings = Object.keys(envSchema.shape);

describe(".env.example", () => {
  it("lists every setting of the schema, each once, and nothing else", () => {
    const keys = listed.map((l) => l.key);
    assert.deepEqual(
      settings.filter((k) => !keys.includes(k)),
      [],
      "settings missing from .env.example",
    );
    assert.deepEqual(
      keys.filter((k) => !settings.includes(k)),
      [],
      "not settings",
    );
    assert.equal(new Set(keys).size, keys.length, "listed twice");
  });

  it("gives each setting with a default that default, and comments out those without one", () => {
    const defaults = envSchema.parse({}) as Record<string, unknown>;
    for (const { key, value, commented } of listed) {
      if (defaults[key] === undefined) {
        assert.ok(commented, `${key} has no default: comment it out`);
        continue;
      }
      assert.ok(!commented, `${key} has a default: write it out`);
      assert.deepEqual((envSchema.parse({ [key]: value }) as Record<string, unknown>)[key], defaults[key], `${key}=${value}`);
    }
  });

  it("has a comment above every setting", () => {
    for (const { key } of listed) {
      const at = lines.findIndex((line) => new RegExp(`^(#\\s*)?${key}=`).test(line));
      const above = lines
        .slice(0, at)
        .reverse()
        .find((line) => !/^(#\s*)?[A-Z][A-Z0-9_]*=/.test(line));
      assert.ok(above?.startsWith("# "), `${key}: a one-line comment above it`);
    }
  });
});
