// Prisma CLI configuration. DATABASE_URL picks the schema folder and its
// migrations: postgresql://… → prisma/postgres, anything else → prisma/sqlite.
import { defineConfig } from "prisma/config";
import { databaseConfig } from "./lib/db/database-url";

const db = databaseConfig(process.env.DATABASE_URL);

export default defineConfig({
  schema: db.schemaDir,
  migrations: { path: db.migrationsDir, seed: "tsx --conditions=react-server prisma/seed.ts" },
  datasource: { url: db.url },
});
