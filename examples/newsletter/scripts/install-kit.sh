#!/bin/sh
# Installs @payonce/kit and the test kit, @payonce/playwright (with the local
# Stripe server it depends on, @payonce/stripe-local), as a user of them gets
# them: from the tarballs that `npm pack` makes at the repository's root (two
# folders up), never as workspace links. package.json names those tarballs
# (kit/payonce-*.tgz), so a plain `npm install` afterwards keeps them.
# KIT_REPO: another checkout to pack from.
set -eu
# `npm --prefix examples/newsletter test` exports the example as npm's prefix: not the root's.
unset npm_config_prefix
here=$(cd "$(dirname "$0")/.." && pwd)
root=${KIT_REPO:-$(cd "$here/../.." && pwd)}

rm -rf "$here/kit" "$here/node_modules/@payonce"
mkdir -p "$here/kit"
(cd "$root" && npm run build -w packages/kit -w packages/stripe-local -w packages/playwright && npm pack -w packages/kit -w packages/stripe-local -w packages/playwright --pack-destination "$here/kit")
for name in kit stripe-local playwright; do
  mv "$here"/kit/payonce-"$name"-[0-9]*.tgz "$here/kit/payonce-$name.tgz"
done
cd "$here" && npm install --prefer-offline --no-audit --no-fund
