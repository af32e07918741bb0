// Prisma CLI configuration: the schema, its migrations and the SQLite file (DATABASE_URL, else data/newsletter.db).
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "file:./data/newsletter.db" },
});
