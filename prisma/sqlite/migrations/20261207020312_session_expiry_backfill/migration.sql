-- Sessions made before 20261206223744_client_limits have no expiresAt, so an
-- API token of theirs was never refused for its age. Each ends 30 days
-- (SESSION_LIFETIME_DAYS' default) after it began, as the session reaper
-- already counted them; written as Prisma writes a DateTime here (ISO 8601, UTC).
UPDATE "Session" SET "expiresAt" = strftime('%Y-%m-%dT%H:%M:%f+00:00', "createdAt", '+30 days') WHERE "expiresAt" IS NULL;
