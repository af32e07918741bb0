// The shop's Attempt model is the kit's (packages/kit/attempt.prisma) field
// for field, with the shop's own links added: the kit's store writes those
// columns by those names, so a drift would fail only at run time.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { it } from "node:test";

/** A model's lines, without comments and blank lines, whitespace collapsed. */
function modelLines(schema: string, name: string): string[] {
  const body = schema.match(new RegExp(`^model ${name} \\{\\n([\\s\\S]*?)^\\}`, "m"))?.[1];
  if (!body) throw new Error(`no model ${name}`);
  return body
    .split("\n")
    .map((line) =>
      line
        .replace(/\/\/.*$/, "")
        .replace(/\s+/g, " ")
        .trim(),
    )
    .filter(Boolean);
}

it("the shop's Attempt model has every line of the kit's model, as written there", () => {
  const kit = modelLines(readFileSync(new URL("../packages/kit/attempt.prisma", import.meta.url), "utf8"), "Attempt");
  const shop = modelLines(readFileSync(new URL("../prisma/models.prisma", import.meta.url), "utf8"), "Attempt");
  assert.deepEqual(
    kit.filter((line) => !shop.includes(line)),
    [],
  );
});
