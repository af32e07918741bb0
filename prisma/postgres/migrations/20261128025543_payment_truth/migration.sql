-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "notice" TEXT,
ADD COLUMN     "paymentKeyGeneration" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "stockReleasedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "WebhookEvent" ADD COLUMN     "rejectedReason" TEXT;

-- CreateIndex
CREATE INDEX "Order_status_stockReleasedAt_updatedAt_idx" ON "Order"("status", "stockReleasedAt", "updatedAt");
