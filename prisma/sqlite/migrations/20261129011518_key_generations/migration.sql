-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Order" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "sessionId" TEXT NOT NULL,
    "cartId" TEXT NOT NULL,
    "checkoutKey" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "amountCents" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'awaiting_payment',
    "paymentIntentId" TEXT,
    "paymentKeyGeneration" INTEGER NOT NULL DEFAULT 0,
    "refundKeyGeneration" INTEGER NOT NULL DEFAULT 0,
    "paymentError" TEXT,
    "notice" TEXT,
    "stockReleasedAt" DATETIME,
    "failedPayments" INTEGER NOT NULL DEFAULT 0,
    "refundedCents" INTEGER NOT NULL DEFAULT 0,
    "refundReservedCents" INTEGER NOT NULL DEFAULT 0,
    "shippedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "paidAt" DATETIME,
    CONSTRAINT "Order_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Order_cartId_fkey" FOREIGN KEY ("cartId") REFERENCES "Cart" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Order" ("amountCents", "cartId", "checkoutKey", "createdAt", "currency", "email", "failedPayments", "id", "notice", "paidAt", "paymentError", "paymentIntentId", "paymentKeyGeneration", "refundReservedCents", "refundedCents", "sessionId", "shippedAt", "status", "stockReleasedAt", "updatedAt") SELECT "amountCents", "cartId", "checkoutKey", "createdAt", "currency", "email", "failedPayments", "id", "notice", "paidAt", "paymentError", "paymentIntentId", "paymentKeyGeneration", "refundReservedCents", "refundedCents", "sessionId", "shippedAt", "status", "stockReleasedAt", "updatedAt" FROM "Order";
DROP TABLE "Order";
ALTER TABLE "new_Order" RENAME TO "Order";
CREATE UNIQUE INDEX "Order_checkoutKey_key" ON "Order"("checkoutKey");
CREATE UNIQUE INDEX "Order_paymentIntentId_key" ON "Order"("paymentIntentId");
CREATE INDEX "Order_sessionId_createdAt_idx" ON "Order"("sessionId", "createdAt");
CREATE INDEX "Order_createdAt_idx" ON "Order"("createdAt");
CREATE INDEX "Order_status_stockReleasedAt_updatedAt_idx" ON "Order"("status", "stockReleasedAt", "updatedAt");
CREATE TABLE "new_Refund" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "orderId" TEXT NOT NULL,
    "attemptId" TEXT NOT NULL,
    "amountCents" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "stripeRefundId" TEXT,
    "keyGeneration" INTEGER NOT NULL DEFAULT 0,
    "failure" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Refund_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Refund" ("amountCents", "attemptId", "createdAt", "failure", "id", "orderId", "status", "stripeRefundId") SELECT "amountCents", "attemptId", "createdAt", "failure", "id", "orderId", "status", "stripeRefundId" FROM "Refund";
DROP TABLE "Refund";
ALTER TABLE "new_Refund" RENAME TO "Refund";
CREATE UNIQUE INDEX "Refund_attemptId_key" ON "Refund"("attemptId");
CREATE UNIQUE INDEX "Refund_stripeRefundId_key" ON "Refund"("stripeRefundId");
CREATE INDEX "Refund_orderId_idx" ON "Refund"("orderId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
