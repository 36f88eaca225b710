#!/usr/bin/env bash
# Search benchmark: generates N documents (default 100000) from the documentation Debian
# installs under /usr/share/doc, imports them with the portal's importer into a fresh SQLite
# database, then measures the search index build (rate, peak memory, size), query latency
# in-process and over HTTP through the real server, and the same queries on PostgreSQL
# full-text search and SQLite FTS5; prints the tables as Markdown (see BENCHMARKS.md).
#
#   scripts/bench-search.sh [N]
#
# Release build only. PostgreSQL must accept user postgres without a password on
# 127.0.0.1:5432 (started here with pg_ctlcluster when it is not running); the benchmark gets a
# database of its own, dropped at the end. BENCH_ROUNDS (default 5) sets the timed rounds of the
# query set; BENCH_KEEP=1 keeps the working folder.
set -euo pipefail
ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
N="${1:-100000}"
ROUNDS="${BENCH_ROUNDS:-5}"
export CARGO_INCREMENTAL=0
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"

cargo build --release -p bench -p server
BIN="$TARGET/release"

if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
WORK="$(mktemp -d /tmp/trustshare-bench.XXXXXX)"
PG_DB="trustshare_bench_$$"
cleanup() {
  psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" || true
  if [ "${BENCH_KEEP:-0}" != 1 ]; then rm -rf "$WORK"; else echo "kept $WORK" >&2; fi
}
trap cleanup EXIT
psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $PG_DB"
mkdir -p "$WORK/data"
DB_URL="sqlite://$WORK/data/trustshare.db"

"$BIN/corpus" --docs "$N" --database-url "$DB_URL" --content-dir "$WORK/content" \
  --stats "$WORK/corpus.json"
"$BIN/search-bench" --database-url "$DB_URL" --data-dir "$WORK/data" \
  --server-bin "$BIN/trustshare" \
  --postgres-url "postgres://postgres@127.0.0.1:5432/$PG_DB" \
  --corpus-stats "$WORK/corpus.json" --rounds "$ROUNDS" \
  --report "$WORK/report.md" --command "scripts/bench-search.sh $N"
