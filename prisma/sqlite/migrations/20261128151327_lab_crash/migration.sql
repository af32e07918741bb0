-- AlterTable
ALTER TABLE "Session" ADD COLUMN "crashAfter" TEXT;
