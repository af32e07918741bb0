-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "clientAddress" TEXT;

-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "expiresAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "RateCount" (
    "key" TEXT NOT NULL,
    "hits" INTEGER NOT NULL DEFAULT 1,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RateCount_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "RateCount_expiresAt_idx" ON "RateCount"("expiresAt");

-- CreateIndex
CREATE INDEX "Order_clientAddress_status_idx" ON "Order"("clientAddress", "status");

-- CreateIndex
CREATE INDEX "Session_expiresAt_idx" ON "Session"("expiresAt");
