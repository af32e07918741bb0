-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "refundKeyGeneration" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Refund" ADD COLUMN     "keyGeneration" INTEGER NOT NULL DEFAULT 0;
