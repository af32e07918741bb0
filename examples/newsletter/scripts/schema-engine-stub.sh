#!/bin/sh
# Stands in for Prisma's native schema engine, which the CLI downloads on first
# use and an offline machine cannot: it answers the CLI's version probe, which
# is all `prisma generate` needs (the database is made by scripts/create-db.mjs).
if [ "$1" = "--version" ]; then echo "schema-engine-cli $PRISMA_ENGINES_HASH"; exit 0; fi
echo "schema engine stub: this machine has no Prisma schema engine; the database is made by npm run db" >&2
exit 1
