// npm run setup: what the app needs before it starts, on any machine, offline
// included: generated Prisma clients, migrations applied, the catalog seeded.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createClient } from "@libsql/client";
import { databaseConfig } from "../lib/db/database-url";

const root = path.resolve(import.meta.dirname, "..");

/**
 * Prisma's CLI probes for its native schema engine before any command and
 * tries to download it if absent. Where it is installed we leave it alone;
 * where it is not (offline machines), a stub answers the probe, which is all
 * `prisma generate` needs. Migrations never use it (scripts/migrate.ts).
 */
function schemaEngineEnv(): Record<string, string> {
  if (process.env.PRISMA_SCHEMA_ENGINE_BINARY) return {};
  const enginesDir = path.join(root, "node_modules/@prisma/engines");
  if (readdirSync(enginesDir).some((f) => f.startsWith("schema-engine-"))) return {};
  const hash = JSON.parse(readFileSync(path.join(root, "node_modules/@prisma/engines-version/package.json"), "utf8")).prisma.enginesVersion as string;
  return { PRISMA_SCHEMA_ENGINE_BINARY: path.join(root, "scripts/schema-engine-stub.sh"), PRISMA_ENGINES_HASH: hash };
}

/**
 * Both clients (SQLite and PostgreSQL) of the shop, and of the kit's tests
 * (packages/kit/test/prisma: the model users paste, alone), each regenerated
 * only when its schema changed.
 */
function generateClients() {
  const schemas = ["prisma", "packages/kit/test/prisma"].flatMap((dir) => ["sqlite", "postgres"].map((provider) => `${dir}/${provider}`));
  for (const schemaDir of schemas.map((s) => path.join(root, s))) {
    const schema = readdirSync(schemaDir)
      .filter((f) => f.endsWith(".prisma"))
      .sort()
      .map((f) => readFileSync(path.join(schemaDir, f), "utf8"))
      .join("\n");
    const version = JSON.parse(readFileSync(path.join(root, "node_modules/prisma/package.json"), "utf8")).version;
    const hash = createHash("sha256").update(`${version}\n${schema}`).digest("hex");
    const stamp = path.join(schemaDir, "../..", "generated", `${path.basename(schemaDir)}.hash`);
    if (existsSync(stamp) && readFileSync(stamp, "utf8") === hash) continue;

    const result = spawnSync("npx", ["prisma", "generate", "--schema", path.relative(root, schemaDir)], {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, ...schemaEngineEnv(), PRISMA_HIDE_UPDATE_MESSAGE: "1" },
    });
    if (result.status !== 0) process.exit(result.status ?? 1);
    writeFileSync(stamp, hash);
  }
}

async function main() {
  generateClients();
  const db = databaseConfig(process.env.DATABASE_URL);
  if (db.provider === "sqlite") {
    const file = db.url.replace(/^file:/, "");
    mkdirSync(path.dirname(path.resolve(root, file)), { recursive: true });
    // WAL lets the app, the tests and local tools read while one of them writes.
    const client = createClient({ url: db.url });
    await client.execute("PRAGMA journal_mode = WAL");
    client.close();
  }
  // Imported only now: both need the clients generated above.
  const { migrateDeploy } = await import("./migrate");
  await migrateDeploy();
  const { seed } = await import("../prisma/seed");
  console.log(`seeded ${await seed()} products`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
