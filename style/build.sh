#!/usr/bin/env bash
# Build the Trustshare stylesheet from style/trustshare.scss (nhsuk-frontend).
#
#   bash style/build.sh          (from any directory)
#
# Outputs, relative to the repository root:
#   target/site/pkg/trustshare.css   compressed CSS, no source map
#   target/site/assets/...           nhsuk-frontend assets the CSS and the page
#                                    <head> refer to (/assets/images/*.svg,
#                                    favicons, manifest.json)
#
# Installs the npm packages pinned in style/package-lock.json (npm ci) only
# when node_modules is missing or older than the lockfile. Safe to re-run.
set -euo pipefail

STYLE_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)"
ROOT_DIR="$(cd -- "$STYLE_DIR/.." && pwd)"
SITE_DIR="$ROOT_DIR/target/site"
OUT_CSS="$SITE_DIR/pkg/trustshare.css"
ASSETS_OUT="$SITE_DIR/assets"
NHSUK_ASSETS="$STYLE_DIR/node_modules/nhsuk-frontend/dist/nhsuk/assets"

die() {
  echo "style/build.sh: error: $*" >&2
  exit 1
}

command -v node >/dev/null 2>&1 || die "node is not installed (needed to run sass)"
command -v npm >/dev/null 2>&1 || die "npm is not installed"

cd "$STYLE_DIR"

# 1. Dependencies, exactly as locked. --ignore-scripts: nothing here needs an
#    install script (sass is pure JS; its optional @parcel/watcher is only for
#    --watch), and it keeps npm from trying to build native code.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "style/build.sh: installing npm packages (npm ci)" >&2
  npm ci --no-audit --no-fund --ignore-scripts >&2
fi
[[ -x node_modules/.bin/sass ]] || die "node_modules/.bin/sass missing after npm ci"
[[ -d "$NHSUK_ASSETS" ]] || die "nhsuk-frontend assets not found at $NHSUK_ASSETS"

# 2. Compile to a temporary file; only replace the real output once it passes
#    the checks, so a failed build never leaves a bad stylesheet behind.
mkdir -p "$SITE_DIR/pkg" "$ASSETS_OUT"
TMP_CSS="$(mktemp "$SITE_DIR/pkg/.trustshare.css.XXXXXX")"
trap 'rm -f "$TMP_CSS"' EXIT

node_modules/.bin/sass --no-source-map --style=compressed --load-path=node_modules \
  trustshare.scss "$TMP_CSS"

# 3. No request may leave our origin: reject absolute and protocol-relative
#    URLs anywhere in the CSS (fonts, images, @import).
if grep -Eiq 'https?://' "$TMP_CSS"; then
  echo "style/build.sh: error: compiled CSS contains external http(s):// URLs:" >&2
  grep -Eio '.{0,60}https?://[^"'"'"') ]*' "$TMP_CSS" | sort -u | head -20 >&2
  die "the stylesheet must only reference our own origin (check \$nhsuk-fonts-path / \$nhsuk-assets-path and the font-face settings in style/trustshare.scss)"
fi
if grep -Eiq 'url\(["'"'"']?//' "$TMP_CSS"; then
  die "compiled CSS contains a protocol-relative url(//...); only same-origin paths are allowed"
fi

# 4. Assets. Everything the CSS url()s point at under /assets/, plus the
#    favicons and web manifest that the nhsuk page template links from <head>.
mapfile -t CSS_ASSETS < <(
  grep -Eo 'url\(["'"'"']?[^"'"'"')]+' "$TMP_CSS" \
    | sed -E 's/^url\(["'"'"']?//' \
    | grep -v '^data:' \
    | sort -u
)
HEAD_ASSETS=(
  /assets/images/favicon.ico
  /assets/images/favicon.svg
  /assets/images/nhsuk-icon-mask.svg
  /assets/images/nhsuk-icon-180.png
  /assets/images/nhsuk-icon-192.png
  /assets/images/nhsuk-icon-512.png
  /assets/manifest.json
)

copied=0
for url in "${CSS_ASSETS[@]}" "${HEAD_ASSETS[@]}"; do
  [[ -n "$url" ]] || continue
  case "$url" in
    /assets/*) rel="${url#/assets/}" ;;
    *) die "compiled CSS references '$url', which is not under /assets/" ;;
  esac
  rel="${rel%%[?#]*}"
  src="$NHSUK_ASSETS/$rel"
  [[ -f "$src" ]] || die "asset $url is not in nhsuk-frontend (looked for $src)"
  mkdir -p "$(dirname -- "$ASSETS_OUT/$rel")"
  if ! cmp -s "$src" "$ASSETS_OUT/$rel"; then
    cp -f "$src" "$ASSETS_OUT/$rel"
  fi
  copied=$((copied + 1))
done

mv -f "$TMP_CSS" "$OUT_CSS"
chmod 0644 "$OUT_CSS"
trap - EXIT

raw=$(wc -c <"$OUT_CSS" | tr -d ' ')
gz=$(gzip -9c "$OUT_CSS" | wc -c | tr -d ' ')
nhsuk_version=$(node -p 'require("./node_modules/nhsuk-frontend/package.json").version')
echo "style: target/site/pkg/trustshare.css ${raw} bytes (${gz} gzip), nhsuk-frontend ${nhsuk_version}, ${copied} assets in target/site/assets/"
