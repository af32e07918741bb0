-- @payonce/kit 0.2: the Attempt model gained traceParent (the trace of the
-- request that made an attempt, for tracing). What `prisma migrate dev` makes
-- from the model pasted again.
ALTER TABLE "Attempt" ADD COLUMN "traceParent" TEXT;
