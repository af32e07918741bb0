-- Finished attempts kept an HTTP response, not their outcome: they are forgotten,
-- so those keys start a new attempt (as they would after their 24 h anyway).
DELETE FROM "IdempotencyRecord" WHERE "recoveryPoint" = 'finished';

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_IdempotencyRecord" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "scope" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "request" TEXT,
    "recoveryPoint" TEXT NOT NULL,
    "leaseOwner" TEXT,
    "lockedUntil" DATETIME,
    "outcome" TEXT,
    "lastError" TEXT,
    "orderId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    CONSTRAINT "IdempotencyRecord_scope_fkey" FOREIGN KEY ("scope") REFERENCES "Session" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "IdempotencyRecord_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_IdempotencyRecord" ("createdAt", "expiresAt", "fingerprint", "id", "key", "lastError", "leaseOwner", "lockedUntil", "orderId", "recoveryPoint", "request", "scope", "updatedAt") SELECT "createdAt", "expiresAt", "fingerprint", "id", "key", "lastError", "leaseOwner", "lockedUntil", "orderId", "recoveryPoint", "request", "scope", "updatedAt" FROM "IdempotencyRecord";
DROP TABLE "IdempotencyRecord";
ALTER TABLE "new_IdempotencyRecord" RENAME TO "IdempotencyRecord";
CREATE INDEX "IdempotencyRecord_expiresAt_idx" ON "IdempotencyRecord"("expiresAt");
CREATE INDEX "IdempotencyRecord_recoveryPoint_lockedUntil_idx" ON "IdempotencyRecord"("recoveryPoint", "lockedUntil");
CREATE UNIQUE INDEX "IdempotencyRecord_scope_key_key" ON "IdempotencyRecord"("scope", "key");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
