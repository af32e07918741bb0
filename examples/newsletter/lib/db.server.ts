// The database: one Prisma client for the process, on SQLite through the
// libsql driver adapter (DATABASE_URL, else data/newsletter.db).
import "server-only";
import { PrismaLibSql } from "@prisma/adapter-libsql";
import { PrismaClient, type Prisma } from "../generated/prisma/client";

export const db = new PrismaClient({ adapter: new PrismaLibSql({ url: process.env.DATABASE_URL ?? "file:./data/newsletter.db" }) });

/** What an interactive transaction is given: the kit's phases write on it. */
export type Tx = Prisma.TransactionClient;
