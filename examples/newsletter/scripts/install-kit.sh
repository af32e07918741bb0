#!/bin/sh
# Installs @payonce/kit as a user of it gets it: from the tarball that
# `npm pack -w packages/kit` makes at the repository's root (two folders up),
# never as a workspace link. package.json names that tarball (kit/payonce-kit.tgz),
# so a plain `npm install` afterwards keeps it. KIT_REPO: another checkout to pack from.
set -eu
# `npm --prefix examples/newsletter test` exports the example as npm's prefix: not the root's.
unset npm_config_prefix
here=$(cd "$(dirname "$0")/.." && pwd)
root=${KIT_REPO:-$(cd "$here/../.." && pwd)}

rm -rf "$here/kit" "$here/node_modules/@payonce/kit"
mkdir -p "$here/kit"
(cd "$root" && npm run build -w packages/kit && npm pack -w packages/kit --pack-destination "$here/kit")
mv "$here"/kit/payonce-kit-*.tgz "$here/kit/payonce-kit.tgz"
cd "$here" && npm install --prefer-offline --no-audit --no-fund
