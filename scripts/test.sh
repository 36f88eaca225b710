#!/usr/bin/env bash
# The whole test suite: unit tests, HTTP integration tests against the real server (SQLite;
# also PostgreSQL when TRUSTSHARE_TEST_POSTGRES=postgres://user@host:port is set), and the
# browser tests in end2end/ (Playwright driving Debian's Chromium, with and without JavaScript).
set -euo pipefail
ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

bash scripts/build-site.sh
# server/tests/it/events.rs reads the iCalendar feeds back with Python's icalendar package.
if ! python3 -c 'import icalendar' 2>/dev/null; then
  python3 -m pip install --quiet icalendar \
    || { apt-get update -q && apt-get install -y -q python3-icalendar; }
fi
# server/tests/it/contacts.rs reads the vCards back with Python's vobject package.
if ! python3 -c 'import vobject' 2>/dev/null; then
  python3 -m pip install --quiet vobject \
    || { apt-get update -q && apt-get install -y -q python3-vobject; }
fi
# Builds the server binary too (the integration tests run it), with the same features as the
# tests: a separate `cargo build -p server` would build the application twice.
cargo test --workspace
# The browser tests run on SQLite, or on the PostgreSQL database that
# TRUSTSHARE_E2E_DATABASE_URL names (CI does, so that they run once, on PostgreSQL).
TRUSTSHARE_DATABASE_URL="${TRUSTSHARE_E2E_DATABASE_URL:-}" bash end2end/run.sh
