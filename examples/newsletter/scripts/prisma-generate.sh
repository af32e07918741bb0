#!/bin/sh
# `prisma generate`, online or not: where Prisma's native schema engine is not
# installed (it is downloaded on first use), a stub answers the CLI's probe.
set -eu
cd "$(dirname "$0")/.."
if [ -z "${PRISMA_SCHEMA_ENGINE_BINARY:-}" ] && ! ls node_modules/@prisma/engines/schema-engine-* >/dev/null 2>&1; then
  PRISMA_SCHEMA_ENGINE_BINARY="$PWD/scripts/schema-engine-stub.sh"
  PRISMA_ENGINES_HASH=$(node -p 'require("./node_modules/@prisma/engines-version/package.json").prisma.enginesVersion')
  export PRISMA_SCHEMA_ENGINE_BINARY PRISMA_ENGINES_HASH
fi
PRISMA_HIDE_UPDATE_MESSAGE=1 exec npx prisma generate
