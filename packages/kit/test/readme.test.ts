// The README's reference is every export of every entry point, no more, no
// less: read from the package's `exports` and the TypeScript of each entry.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { it } from "node:test";
import ts from "typescript";

const kit = path.resolve(import.meta.dirname, "..");
const pkg = JSON.parse(readFileSync(path.join(kit, "package.json"), "utf8")) as { name: string; exports: Record<string, string | { types: string }> };

/** Each entry point's name (`@payonce/kit/next`) and its source (src/next/index.ts). */
const entries = Object.entries(pkg.exports)
  .filter((entry): entry is [string, { types: string }] => typeof entry[1] === "object")
  .map(([subpath, target]) => ({
    name: path.posix.join(pkg.name, subpath),
    source: path.join(kit, target.types.replace(/^\.\/dist\//, "src/").replace(/\.d\.ts$/, ".ts")),
  }));

it("the README's reference lists exactly the exports of each entry point", () => {
  const program = ts.createProgram(
    entries.map((e) => e.source),
    {
      allowImportingTsExtensions: true,
      noEmit: true,
      jsx: ts.JsxEmit.ReactJSX,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
    },
  );
  const checker = program.getTypeChecker();
  const actual = entries.flatMap(({ name, source }) => {
    const entry = checker.getSymbolAtLocation(program.getSourceFile(source)!)!;
    return checker.getExportsOfModule(entry).map((symbol) => `${symbol.name} ${name}`);
  });
  const readme = readFileSync(path.join(kit, "README.md"), "utf8");
  const listed = [...readme.matchAll(/^\| `([\w$]+)` \| `(@payonce\/kit[\w/]*)` \|/gm)].map((m) => `${m[1]} ${m[2]}`);
  assert.deepEqual([...listed].sort(), [...actual].sort());
});
