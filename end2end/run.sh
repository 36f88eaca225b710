#!/usr/bin/env bash
# Runs the browser tests against a fresh Trustshare server.
#
#   bash end2end/run.sh [playwright test arguments...]
#
# Starts the server binary (TRUSTSHARE_BIN, default target/debug/trustshare) on a free port
# with a temporary data folder (SQLite, or PostgreSQL when TRUSTSHARE_DATABASE_URL is set),
# gives the demo users a password, runs Playwright with Debian's Chromium in both projects
# (javascript, no-javascript), then stops the server and removes the folder.
# The site assets must already be built (scripts/build-site.sh).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

bin="${TRUSTSHARE_BIN:-target/debug/trustshare}"
case "$bin" in
  /*) ;;
  *) bin="$root/$bin" ;;
esac
site_root="${TRUSTSHARE_SITE_ROOT:-$root/target/site}"
content_dir="$root/content"

if [[ ! -x "$bin" ]]; then
  echo "run.sh: no server binary at $bin (build it with: cargo build -p server)" >&2
  exit 1
fi
if [[ ! -d "$site_root/pkg" ]]; then
  echo "run.sh: no site assets in $site_root (build them with: bash scripts/build-site.sh)" >&2
  exit 1
fi

# Debian's Chromium: Playwright's own browser download cannot work here.
if [[ ! -x /usr/bin/chromium ]]; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
fi

# Node packages, exactly as locked, without Playwright's browser download.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
cd "$here"
stamp="node_modules/.trustshare-lock"
if [[ ! -d node_modules ]] || [[ ! -f "$stamp" ]] || ! cmp -s package-lock.json "$stamp"; then
  npm ci --no-audit --no-fund --ignore-scripts
  cp package-lock.json "$stamp"
fi

data_dir="$(mktemp -d -t trustshare-e2e.XXXXXX)"
log="$data_dir/server.log"
setup_log="$data_dir/setup.log"
server_pid=""
status=1

cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [[ "$status" -ne 0 ]]; then
    for f in "$setup_log" "$log"; do
      if [[ -s "$f" ]]; then
        echo "---- $(basename "$f") ----" >&2
        cat "$f" >&2 || true
        echo "---- end of $(basename "$f") ----" >&2
      fi
    done
  fi
  rm -rf "$data_dir"
}
trap 'status=$?; cleanup; exit $status' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

storage_args=(--data-dir "$data_dir")
if [[ -n "${TRUSTSHARE_DATABASE_URL:-}" ]]; then
  storage_args+=(--database-url "$TRUSTSHARE_DATABASE_URL")
  echo "run.sh: using the database at TRUSTSHARE_DATABASE_URL"
fi
# The flags say everything: keep the environment's own settings out of the server's way.
unset TRUSTSHARE_DATABASE_URL TRUSTSHARE_DATA_DIR TRUSTSHARE_LISTEN TRUSTSHARE_PUBLIC_URL \
  TRUSTSHARE_SITE_ROOT TRUSTSHARE_CONTENT_DIR

"$bin" serve --listen 127.0.0.1:0 "${storage_args[@]}" \
  --content-dir "$content_dir" --site-root "$site_root" >"$log" 2>&1 &
server_pid=$!

url=""
for _ in $(seq 1 600); do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "run.sh: the server stopped before it was listening" >&2
    exit 1
  fi
  line="$(grep -m1 -o 'Trustshare listening on http://[^ ]*' "$log" || true)"
  if [[ -n "$line" ]]; then
    url="${line#Trustshare listening on }"
    break
  fi
  sleep 0.1
done
if [[ -z "$url" ]]; then
  echo "run.sh: the server did not print its address within 60 seconds" >&2
  exit 1
fi
echo "run.sh: server listening on $url"

# One password for every demo user the tests sign in as (12+ characters, none of the
# users' names in it).
export TRUSTSHARE_URL="$url"
export TRUSTSHARE_TEST_PASSWORD="e2e-Correct-Horse-Battery-7"
export TRUSTSHARE_READER_EMAIL="isla.placeholder@fife.nhs.example"
export TRUSTSHARE_EDITOR_EMAIL="callum.sampleton@fife.nhs.example"
export TRUSTSHARE_PUBLISHER_EMAIL="morag.testwell@fife.nhs.example"
export TRUSTSHARE_OTHER_ORG_READER_EMAIL="duncan.trialford@tayside.nhs.example"
for email in "$TRUSTSHARE_READER_EMAIL" "$TRUSTSHARE_EDITOR_EMAIL" \
  "$TRUSTSHARE_PUBLISHER_EMAIL" "$TRUSTSHARE_OTHER_ORG_READER_EMAIL"; do
  printf '%s\n' "$TRUSTSHARE_TEST_PASSWORD" |
    "$bin" user password --email "$email" "${storage_args[@]}" >>"$setup_log" 2>&1
done

npx --no-install playwright test "$@"
