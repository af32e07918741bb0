-- CreateEnum
CREATE TYPE "CheckoutEventKind" AS ENUM ('received', 'resumed', 'replayed', 'in_progress', 'unavailable', 'order_created', 'payment_created', 'finished');

-- CreateEnum
CREATE TYPE "JobState" AS ENUM ('queued', 'running', 'done', 'dead');

-- AlterTable: the columns keep their rows (the engine's own diff would drop and re-add them)
ALTER TABLE "CheckoutEvent" ALTER COLUMN "kind" TYPE "CheckoutEventKind" USING ("kind"::"CheckoutEventKind");

-- AlterTable
ALTER TABLE "Job" ALTER COLUMN "state" DROP DEFAULT,
ALTER COLUMN "state" TYPE "JobState" USING ("state"::"JobState"),
ALTER COLUMN "state" SET DEFAULT 'queued';
