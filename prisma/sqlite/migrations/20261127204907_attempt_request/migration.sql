-- AlterTable
ALTER TABLE "IdempotencyRecord" ADD COLUMN "request" TEXT;
