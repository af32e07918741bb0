// npm run db: the SQLite file (DATABASE_URL, else data/newsletter.db) made
// with the migrations in prisma/migrations, if it is not there yet (--fresh:
// made anew, as the tests want). Why not `prisma migrate deploy`:
// the CLI needs Prisma's native schema engine, downloaded on first use, which an
// offline machine (and CI here) cannot fetch; wherever it is installed,
// `npx prisma migrate deploy` applies the same files.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { createClient } from "@libsql/client";

const root = path.resolve(import.meta.dirname, "..");
const url = process.env.DATABASE_URL ?? "file:./data/newsletter.db";
const file = path.resolve(root, url.replace(/^file:/, ""));

if (process.argv.includes("--fresh")) for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(file + suffix, { force: true });
if (existsSync(file)) process.exit(0);
mkdirSync(path.dirname(file), { recursive: true });
const db = createClient({ url: `file:${file}` });
const migrations = path.join(root, "prisma/migrations");
const folders = readdirSync(migrations, { withFileTypes: true }).filter((d) => d.isDirectory());
for (const dir of folders.map((d) => d.name).sort()) {
  await db.executeMultiple(readFileSync(path.join(migrations, dir, "migration.sql"), "utf8"));
}
// WAL: the tests read the file while the app writes it.
await db.execute("PRAGMA journal_mode = WAL");
db.close();
console.log(`database ready: ${path.relative(root, file)}`);
