#!/usr/bin/env bash
# Builds Trustshare and starts it at http://127.0.0.1:3000 on an embedded SQLite database in
# ./data. The first start imports the demo content from ./content and prints the administrator's
# password. Extra arguments go to `trustshare serve` (see `--help`).
set -euo pipefail
ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

bash scripts/build-site.sh
cargo build -p server
exec ./target/debug/trustshare serve "$@"
