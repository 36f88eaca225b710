#!/usr/bin/env bash
# The whole test suite: unit tests, HTTP integration tests against the real server (SQLite;
# also PostgreSQL when TRUSTSHARE_TEST_POSTGRES=postgres://user@host:port is set), and the
# browser tests in end2end/ (Playwright driving Debian's Chromium, with and without JavaScript).
set -euo pipefail
ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

bash scripts/build-site.sh
cargo build -p server
cargo test --workspace
bash end2end/run.sh
