#!/usr/bin/env bash
# The cost of row-level security in PostgreSQL (generators/rls/benches/explain.rs): the clinic
# example with 100,000 rows per table, each read timed with EXPLAIN ANALYZE under the generated
# policies and as written by hand without them. Prints a Markdown table; exits with 1 when a read
# under RLS costs more than twice the same read by hand. Not part of CI (it takes a few minutes).
#
#   ci/rls-bench.sh                      # 100,000 rows per table, 7 runs of each read
#   RLS_BENCH_ROWS=20000 ci/rls-bench.sh # fewer rows (a multiple of 20)
#   RLS_BENCH_RUNS=15 ci/rls-bench.sh    # more runs per read
#   RLS_BENCH_KEEP=1 ci/rls-bench.sh     # keep the database to look at plans (and a server of
#                                        # your own in FORGE_TEST_PG_URL, since this one stops)
#
# Uses the PostgreSQL of FORGE_TEST_PG_URL when it is set; otherwise starts throwaway servers
# with ci/db.sh and stops them again at the end, also on failure. Run it on a quiet machine:
# the numbers are wall-clock times inside the server.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -z "${FORGE_TEST_PG_URL:-}" ]]; then
	eval "$(ci/db.sh start)"
	trap 'ci/db.sh stop >/dev/null 2>&1 || true' EXIT
fi

cargo bench -p forge-gen-rls --bench explain
