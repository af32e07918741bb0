-- One vocabulary: the table of attempts is called Attempt, as the code and the
-- kit's model call it (it kept its first name, IdempotencyRecord, until now),
-- and an event's link to its attempt is attemptId. Renames only: no row moves
-- (SQLite rewrites the foreign keys that point at a renamed table or column;
-- an index cannot be renamed, so each is made again under its new name; the
-- foreign keys keep the names they were made with, which SQLite never reads).
ALTER TABLE "IdempotencyRecord" RENAME TO "Attempt";
DROP INDEX "IdempotencyRecord_expiresAt_idx";
DROP INDEX "IdempotencyRecord_recoveryPoint_lockedUntil_idx";
DROP INDEX "IdempotencyRecord_scope_key_key";
CREATE INDEX "Attempt_expiresAt_idx" ON "Attempt"("expiresAt");
CREATE INDEX "Attempt_recoveryPoint_lockedUntil_idx" ON "Attempt"("recoveryPoint", "lockedUntil");
CREATE UNIQUE INDEX "Attempt_scope_key_key" ON "Attempt"("scope", "key");

ALTER TABLE "CheckoutEvent" RENAME COLUMN "recordId" TO "attemptId";
DROP INDEX "CheckoutEvent_recordId_idx";
CREATE INDEX "CheckoutEvent_attemptId_idx" ON "CheckoutEvent"("attemptId");

-- A job's lease is named as an attempt's is: leaseOwner holds it until lockedUntil.
ALTER TABLE "Job" RENAME COLUMN "lockedBy" TO "leaseOwner";
