// Applies and creates Prisma migrations through Prisma's own WebAssembly schema
// engine and the app's driver adapter. Why not `prisma migrate`: the CLI needs
// a native engine binary downloaded from Prisma's servers, which offline
// machines (and CI here) cannot reach. The files and the _prisma_migrations
// table are Prisma's standard ones, so `prisma migrate deploy` works as well
// wherever its engine is installed.
//
//   npm run db:migrate                 apply pending migrations (DATABASE_URL)
//   npm run db:migration -- <name>     write a migration for the schema changes
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import * as wasmBindings from "@prisma/schema-engine-wasm/schema_engine_bg";
import { databaseConfig } from "../lib/db/database-url";
import { PrismaLibSql } from "@prisma/adapter-libsql";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

type MigrationList = Parameters<wasmBindings.SchemaEngine["applyMigrations"]>[0]["migrationsList"];
const NO_FILTER = { externalTables: [], externalEnums: [] };

async function loadEngine(datamodels: [string, string][], adapterFactory: object) {
  // Node 20 cannot import a .wasm module, so instantiate it by hand.
  const require = createRequire(import.meta.url);
  const bindings = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
  const bytes = await readFile(path.join(path.dirname(bindings), "schema_engine_bg.wasm"));
  const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": wasmBindings });
  (globalThis as Record<string, unknown>).PRISMA_WASM_PANIC_REGISTRY = {
    set_message(message: string) {
      console.error(`schema engine panic: ${message}`);
    },
  };
  wasmBindings.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  const log = (line: string) => {
    if (process.env.DEBUG_MIGRATE) console.error(line);
  };
  return wasmBindings.SchemaEngine.new({ datamodels }, log, adapterFactory);
}

// The engine reads pg_catalog, whose "char" columns (OIDs 18 and 1002) adapter-pg
// cannot decode; the values arrive as text, so present them as text and text[].
function presentCharAsText(res: pg.QueryResult | undefined) {
  for (const field of res?.fields ?? []) {
    if (field.dataTypeID === 18) field.dataTypeID = 25;
    if (field.dataTypeID === 1002) field.dataTypeID = 1009;
  }
  return res;
}

class CharAsTextClient extends pg.Client {
  // pg's query() has many overloads; the pool calls it with a callback.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: any[]): any {
    const callback = args.at(-1);
    if (typeof callback === "function") {
      args[args.length - 1] = (err: Error | null, res: pg.QueryResult) => callback(err, presentCharAsText(res));
    }
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const result = (super.query as (...a: any[]) => any)(...args);
    return result instanceof Promise ? result.then(presentCharAsText) : result;
  }
}

function adapterFor(db: ReturnType<typeof databaseConfig>) {
  if (db.provider === "sqlite") return new PrismaLibSql({ url: db.url });
  return new PrismaPg(new pg.Pool({ connectionString: db.url, Client: CharAsTextClient }));
}

async function readSchemaFiles(schemaDir: string): Promise<[string, string][]> {
  const names = (await readdir(schemaDir)).filter((n) => n.endsWith(".prisma")).sort();
  return Promise.all(
    names.map(async (n): Promise<[string, string]> => {
      const file = path.join(schemaDir, n);
      return [file, await readFile(file, "utf8")];
    }),
  );
}

async function readMigrations(migrationsDir: string): Promise<MigrationList> {
  const lockPath = path.join(migrationsDir, "migration_lock.toml");
  const dirs = existsSync(migrationsDir)
    ? (await readdir(migrationsDir, { withFileTypes: true }))
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
  return {
    baseDir: migrationsDir,
    lockfile: {
      path: "migration_lock.toml",
      content: existsSync(lockPath) ? await readFile(lockPath, "utf8") : null,
    },
    shadowDbInitScript: "",
    migrationDirectories: await Promise.all(
      dirs.map(async (name) => ({
        path: name,
        migrationFile: {
          path: "migration.sql",
          content: { tag: "ok" as const, value: await readFile(path.join(migrationsDir, name, "migration.sql"), "utf8") },
        },
      })),
    ),
  };
}

function timestamp(date = new Date()) {
  return date.toISOString().replace(/\D/g, "").slice(0, 14);
}

async function openEngine() {
  const db = databaseConfig(process.env.DATABASE_URL);
  const datamodels = await readSchemaFiles(db.schemaDir);
  const engine = await loadEngine(datamodels, bindMigrationAwareSqlAdapterFactory(adapterFor(db)));
  const migrations = await readMigrations(db.migrationsDir);
  const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList: migrations, filters: NO_FILTER });
  for (const applied of appliedMigrationNames) console.log(`applied ${applied}`);
  return { db, datamodels, engine, migrations, appliedMigrationNames };
}

/** Applies pending migrations to DATABASE_URL (`prisma migrate deploy`). */
export async function migrateDeploy() {
  const { db, migrations, appliedMigrationNames } = await openEngine();
  console.log(`${db.provider}: ${migrations.migrationDirectories.length} migration(s), ${appliedMigrationNames.length} newly applied`);
}

/** Writes the next migration from the schema changes (`prisma migrate dev --create-only`). */
export async function createMigration(name: string) {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error("migration names are snake_case");
  const { db, datamodels, engine } = await openEngine();
  const schemaFiles = datamodels.map(([p, content]) => ({ path: p, content }));
  // With every migration applied, the live database is the migration history:
  // the difference to the schema is the next migration (no shadow database needed).
  const { stdout } = await engine.diff({
    from: { tag: "schemaDatasource", files: schemaFiles, configDir: process.cwd() },
    to: { tag: "schemaDatamodel", files: schemaFiles },
    script: true,
    exitCode: null,
    filters: NO_FILTER,
  });
  if (!stdout || /^-- This is an empty migration/.test(stdout.trim())) {
    console.log("schema and migrations agree: nothing to write");
    return;
  }
  const dir = path.join(db.migrationsDir, `${timestamp()}_${name}`);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, "migration.sql"), stdout);
  const lockfile = path.join(db.migrationsDir, "migration_lock.toml");
  if (!existsSync(lockfile)) {
    const provider = db.provider === "postgres" ? "postgresql" : "sqlite";
    await writeFile(
      lockfile,
      `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${provider}"\n`,
    );
  }
  console.log(`wrote ${dir}/migration.sql`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [command = "deploy", name = ""] = process.argv.slice(2);
  const run =
    command === "deploy"
      ? migrateDeploy()
      : command === "new"
        ? createMigration(name)
        : Promise.reject(new Error("usage: tsx scripts/migrate.ts [deploy | new <snake_case_name>]"));
  run.catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
