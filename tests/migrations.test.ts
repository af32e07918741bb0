// PostgreSQL's migrations as the schema engine applies them: it cuts a script
// into statements at every semicolon, comments included, so a comment with a
// ';' in it sends half a sentence to the database ('syntax error at or near
// "a"', seen when 20261207120000_trace_parent was first written). SQLite's
// scripts run whole, and some of their comments do hold one.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { it } from "node:test";

const dir = new URL("../prisma/postgres/migrations/", import.meta.url);

it("postgres: no migration's comment holds a semicolon (the schema engine would cut the script there)", () => {
  const names = readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory());
  const found = names.flatMap(({ name }) =>
    readFileSync(new URL(`${name}/migration.sql`, dir), "utf8")
      .split("\n")
      .flatMap((line, i) => (/--.*;/.test(line) ? [`${name}/migration.sql:${i + 1}: ${line.trim()}`] : [])),
  );
  assert.deepEqual(found, []);
});
