-- One vocabulary: the table of attempts is called Attempt, as the code and the
-- kit's model call it (it kept its first name, IdempotencyRecord, until now),
-- and an event's link to its attempt is attemptId. Renames only: no row moves.
ALTER TABLE "IdempotencyRecord" RENAME TO "Attempt";
ALTER TABLE "Attempt" RENAME CONSTRAINT "IdempotencyRecord_pkey" TO "Attempt_pkey";
ALTER TABLE "Attempt" RENAME CONSTRAINT "IdempotencyRecord_scope_fkey" TO "Attempt_scope_fkey";
ALTER TABLE "Attempt" RENAME CONSTRAINT "IdempotencyRecord_orderId_fkey" TO "Attempt_orderId_fkey";
ALTER INDEX "IdempotencyRecord_expiresAt_idx" RENAME TO "Attempt_expiresAt_idx";
ALTER INDEX "IdempotencyRecord_recoveryPoint_lockedUntil_idx" RENAME TO "Attempt_recoveryPoint_lockedUntil_idx";
ALTER INDEX "IdempotencyRecord_scope_key_key" RENAME TO "Attempt_scope_key_key";

ALTER TABLE "CheckoutEvent" RENAME COLUMN "recordId" TO "attemptId";
ALTER TABLE "CheckoutEvent" RENAME CONSTRAINT "CheckoutEvent_recordId_fkey" TO "CheckoutEvent_attemptId_fkey";
ALTER INDEX "CheckoutEvent_recordId_idx" RENAME TO "CheckoutEvent_attemptId_idx";

-- A job's lease is named as an attempt's is: leaseOwner holds it until lockedUntil.
ALTER TABLE "Job" RENAME COLUMN "lockedBy" TO "leaseOwner";
