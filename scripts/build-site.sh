#!/usr/bin/env bash
# Builds what browsers load from target/site: the NHS.UK stylesheet and assets, and the
# islands' WebAssembly bundle (pkg/trustshare.js + pkg/trustshare_bg.wasm); then names them
# after their content and compresses them once (scripts/fingerprint.mjs: pkg/site.json tells
# the server the names, and it serves them with a year's caching).
#
#   scripts/build-site.sh            stylesheet + wasm (release-optimised wasm)
#   scripts/build-site.sh --css-only stylesheet only (pages then work without scripts)
#
# Needs only the crate registry and npm: the wasm32 target comes from rustup and the
# wasm-bindgen CLI is built from the crate registry at exactly the version in Cargo.lock.
set -euo pipefail

ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SITE="$ROOT/target/site"

bash style/build.sh

if [[ "${1:-}" == "--css-only" ]]; then
  # Islands of an earlier build would no longer match this stylesheet's name: leave them out.
  rm -f "$SITE/pkg/trustshare.js" "$SITE/pkg/trustshare_bg.wasm"
  node scripts/fingerprint.mjs "$SITE/pkg"
  exit 0
fi

WBG_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
[[ -n "$WBG_VERSION" ]] || { echo "build-site: cannot find wasm-bindgen in Cargo.lock" >&2; exit 1; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "build-site: adding the wasm32-unknown-unknown target" >&2
  rustup target add wasm32-unknown-unknown >&2
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q " $WBG_VERSION\$\| $WBG_VERSION "; then
  echo "build-site: installing wasm-bindgen-cli $WBG_VERSION (a few minutes, once)" >&2
  # Not --locked: the CLI's own lockfile pins a dependency the registry has since yanked.
  # --debug: it builds in half the time, and is fast enough for one bundle.
  cargo install wasm-bindgen-cli --debug --version "=$WBG_VERSION" >&2
fi

echo "build-site: building the islands bundle" >&2
cargo build -p app --lib --target wasm32-unknown-unknown --profile wasm-release \
  --no-default-features --features hydrate --target-dir target/front

mkdir -p "$SITE/pkg"
wasm-bindgen --target web --no-typescript --out-name trustshare --out-dir "$SITE/pkg" \
  target/front/wasm32-unknown-unknown/wasm-release/app.wasm
# Binaryen's wasm-opt, from npm as locked (built for Node.js: nothing is downloaded but the
# package), roughly halves the bundle. The features are those rustc's wasm32 target uses.
WASM_OPT="$ROOT/scripts/wasm-opt"
if [[ ! -f "$WASM_OPT/node_modules/.package-lock.json" || "$WASM_OPT/package-lock.json" -nt "$WASM_OPT/node_modules/.package-lock.json" ]]; then
  (cd "$WASM_OPT" && npm ci --no-audit --no-fund --ignore-scripts >&2)
fi
echo "build-site: shrinking the islands bundle (wasm-opt -Oz, about half a minute)" >&2
node "$WASM_OPT/node_modules/binaryen/bin/wasm-opt" -Oz --strip-debug --strip-producers \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$SITE/pkg/trustshare_bg.wasm" -o "$SITE/pkg/trustshare_bg.opt.wasm"
mv "$SITE/pkg/trustshare_bg.opt.wasm" "$SITE/pkg/trustshare_bg.wasm"
node scripts/fingerprint.mjs "$SITE/pkg"
echo "build-site: $(du -h "$SITE/pkg/trustshare_bg.wasm" | cut -f1) wasm, $(du -h "$SITE/pkg/trustshare.js" | cut -f1) js in target/site/pkg" >&2
