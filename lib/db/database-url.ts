// Which engine a DATABASE_URL means, shared by the app, the Prisma CLI config
// and the migration script, so the three can never disagree.
type DatabaseProvider = "sqlite" | "postgres";

const DEFAULT_DATABASE_URL = "file:./data/payonce.db";

export function databaseConfig(rawUrl: string | undefined) {
  const url = rawUrl?.trim() || DEFAULT_DATABASE_URL;
  const provider: DatabaseProvider = /^postgres(ql)?:\/\//.test(url) ? "postgres" : "sqlite";
  if (provider === "sqlite" && !url.startsWith("file:")) {
    throw new Error(`DATABASE_URL must be file:… (SQLite) or postgresql://…, got ${url}`);
  }
  return {
    url,
    provider,
    schemaDir: `prisma/${provider}`,
    migrationsDir: `prisma/${provider}/migrations`,
  };
}
