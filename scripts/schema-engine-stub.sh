#!/bin/sh
# Stands in for Prisma's native schema engine where it cannot be downloaded
# (see scripts/prisma.ts): answers the version probe so `prisma generate` works.
if [ "$1" = "--version" ]; then echo "schema-engine-cli $PRISMA_ENGINES_HASH"; exit 0; fi
echo "schema engine stub: run migrations with npm run db:migrate" >&2
exit 1
