// The README's example is an app's code that compiles under `strict`: each of
// its snippets is a file of test/readme-example, word for word, and that
// directory type-checks (the app's own helpers declared beside it).
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { it } from "node:test";
import ts from "typescript";

const kit = path.resolve(import.meta.dirname, "..");
const example = path.join(kit, "test/readme-example");
const readme = readFileSync(path.join(kit, "README.md"), "utf8");
/** Every snippet that opens with its file's path (`// lib/refunds.ts: …`). */
const snippets = [...readme.matchAll(/^```tsx?\n(\/\/ ([\w./-]+\.tsx?):[^\n]*\n[\s\S]*?)^```$/gm)].map((m) => ({ code: m[1]!, file: m[2]! }));

it("every snippet of the README's example is its file in test/readme-example, word for word", () => {
  assert.ok(snippets.length >= 6, `only ${snippets.length} snippets found`);
  for (const { code, file } of snippets) {
    const own = path.join(example, file);
    assert.ok(existsSync(own), `${file} is not in test/readme-example`);
    assert.equal(code, readFileSync(own, "utf8"), `${file} differs from the README's`);
  }
});

it("the README's example type-checks with tsc --strict", () => {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(example, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
  assert.equal(config.options.strict, true);
  const program = ts.createProgram(config.fileNames, config.options);
  const errors = ts
    .getPreEmitDiagnostics(program)
    .map((d) => ts.formatDiagnostic(d, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => kit, getNewLine: () => "\n" }));
  assert.deepEqual(errors, []);
});
