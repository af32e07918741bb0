-- Finished attempts kept an HTTP response, not their outcome: they are forgotten,
-- so those keys start a new attempt (as they would after their 24 h anyway).
DELETE FROM "IdempotencyRecord" WHERE "recoveryPoint" = 'finished';

-- AlterTable
ALTER TABLE "IdempotencyRecord" DROP COLUMN "responseBody",
DROP COLUMN "responseStatus",
ADD COLUMN     "outcome" TEXT;
