#!/usr/bin/env bash
# Plugin overhead, timed with hyperfine on the real `forge` binary over a 1,000-model synthetic
# project. Not part of CI; see docs/performance.md ("Generator plugins").
#
#   ci/bench-plugins.sh               # 1,000 models
#   BENCH_MODELS=200 ci/bench-plugins.sh
#
# Cases (each a cold build: cache and out folder removed before every run):
#   base            no target: config, parse, validate only
#   hello-oneshot   + a trivial per-model Rust plugin (generators/sdk/examples/hello.rs), one
#                   process per model node
#   hello-worker    + the same plugin in worker mode (one process per core, one request per node)
#   py-oneshot      + a trivial per-model Python plugin (tests/fixtures/plugins/rogue.py ok)
#   py-worker       + the same in worker mode
#   rls-builtin     + `target rls` (one project node)
#   rls-plugin      + the same generator run as a plugin process (`forge generator run rls`)
# and prints per-node overheads ((case - base) / nodes) and the plugin / built-in ratio.
#
# Environment: BENCH_MODELS (default 1000), BENCH_RUNS (default 5), BENCH_SLOW_RUNS (one-shot,
# default 2), BENCH_RESULTS (where the JSON exports go; default a temporary folder, kept).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
models="${BENCH_MODELS:-1000}"
runs="${BENCH_RUNS:-5}"
slow_runs="${BENCH_SLOW_RUNS:-2}"
work="$(mktemp -d -t forge-bench-plugins.XXXXXX)"
results="${BENCH_RESULTS:-$work/results}"
mkdir -p "$results"
trap 'rm -rf "$work"/p-*' EXIT

command -v hyperfine >/dev/null || { echo "ci/bench-plugins.sh: hyperfine is missing (apt-get install hyperfine)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "ci/bench-plugins.sh: python3 is missing" >&2; exit 1; }

(cd "$root" && cargo build --release -p forge -p forge-synth --bins >&2 &&
    cargo build --release -p forge-plugin --example hello >&2)
target="${CARGO_TARGET_DIR:-$root/target}"
[[ "$target" == /* ]] || target="$root/$target"
forge="$target/release/forge"
synth="$target/release/forge-synth"
hello="$target/release/examples/hello"

# project NAME CONFIG-LINES: a synthetic project with the rogue plugin script and extra lines.
project() {
    local dir="$work/p-$1"
    "$synth" "$models" "$((models / 10))" "$dir" >/dev/null
    mkdir -p "$dir/plugins"
    cp "$root/tests/fixtures/plugins/rogue.py" "$dir/plugins/"
    # Keep only project/schema/out from the synthetic forge.kdl.
    grep -E '^(project|schema|out) ' "$dir/forge.kdl" >"$dir/forge.kdl.new"
    printf '%s\n' "$2" >>"$dir/forge.kdl.new"
    mv "$dir/forge.kdl.new" "$dir/forge.kdl"
    echo "$dir"
}

bench() { # bench NAME RUNS DIR
    local dir="$3"
    "$forge" --project "$dir" build --json >"$results/$1.summary.json"
    jq -e .ok "$results/$1.summary.json" >/dev/null
    hyperfine -N --style basic --runs "$2" --export-json "$results/$1.json" \
        --prepare "rm -rf $dir/.forge $dir/generated" "$forge --project $dir build --json" >&2
}

bench base "$runs" "$(project base '')"
bench hello-oneshot "$slow_runs" "$(project hello-oneshot "generator hello { command \"$hello\"; env HELLO_ONE_SHOT=\"1\"; }")"
bench hello-worker "$runs" "$(project hello-worker "generator hello { command \"$hello\"; }")"
bench py-oneshot "$slow_runs" "$(project py-oneshot 'generator echo { command python3 "plugins/rogue.py" ok; }')"
bench py-worker "$runs" "$(project py-worker 'generator echo { command python3 "plugins/rogue.py" ok worker; }')"
bench rls-builtin "$runs" "$(project rls-builtin 'target rls')"
bench rls-plugin "$runs" "$(project rls-plugin "generator rls-plugin { command \"$forge\" generator run rls; }")"

mean() { jq -r '.results[0].mean * 1000' "$results/$1.json"; }
{
    echo
    echo "machine: $(nproc) cores; $models models; forge commit $(git -C "$root" rev-parse --short HEAD)"
    echo
    printf '| %-12s | %12s |\n' case "wall ms"
    printf '| %-12s | %12s |\n' --- ---:
    for c in base hello-oneshot hello-worker py-oneshot py-worker rls-builtin rls-plugin; do
        printf '| %-12s | %12.1f |\n' "$c" "$(mean "$c")"
    done
    echo
    awk -v b="$(mean base)" -v ho="$(mean hello-oneshot)" -v hw="$(mean hello-worker)" \
        -v po="$(mean py-oneshot)" -v pw="$(mean py-worker)" -v n="$models" \
        -v rb="$(mean rls-builtin)" -v rp="$(mean rls-plugin)" 'BEGIN {
        printf "Rust plugin: one-shot %.2f ms per model node; worker %.3f ms per model node\n", (ho - b) / n, (hw - b) / n
        printf "Python plugin: one-shot %.2f ms per model node; worker %.3f ms per model node\n", (po - b) / n, (pw - b) / n
        printf "rls as a plugin process: %.1f ms vs built in %.1f ms (%.2fx of the whole build; %.2fx of the node)\n", rp, rb, rp / rb, (rp - b) / (rb - b)
    }'
} | tee "$results/table.md"
echo "results: $results" >&2
