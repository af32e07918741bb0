-- CreateTable
CREATE TABLE "Subscriber" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "email" TEXT NOT NULL,
    "attemptId" TEXT,
    "welcomedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Attempt" (
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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "Subscriber_attemptId_key" ON "Subscriber"("attemptId");

-- CreateIndex
CREATE INDEX "Attempt_expiresAt_idx" ON "Attempt"("expiresAt");

-- CreateIndex
CREATE INDEX "Attempt_recoveryPoint_lockedUntil_idx" ON "Attempt"("recoveryPoint", "lockedUntil");

-- CreateIndex
CREATE UNIQUE INDEX "Attempt_scope_key_key" ON "Attempt"("scope", "key");
